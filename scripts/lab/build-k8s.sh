#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and kube-proxy v1.20.2 offline from Debian bookworm's
# `kubernetes` source package (the only real apiserver available here). Cached by version outside the
# checkout; never committed. Prints the bin directory on success.
set -euo pipefail
VERSION=1.20.2
CACHE=${KUBEPATH_K8S_CACHE:-/var/cache/kubepath/k8s-v$VERSION}
BIN=$CACHE/bin
if [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kube-controller-manager" ] && [ -x "$BIN/kube-proxy" ]; then
  echo "$BIN"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
command -v go >/dev/null || apt-get install -y -q golang-go etcd-server etcd-client rsync >&2
W=$CACHE/work; rm -rf "$W"; mkdir -p "$W/apt/lists/partial" "$BIN"
cd "$W"
# A private deb-src list: /etc/apt is never modified.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > apt/src.sources
else
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb-src\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\n' > apt/src.sources
fi
APTSRC=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$W/apt" -o "Dir::State::Lists=$W/apt/lists")
apt-get "${APTSRC[@]}" update -q >&2
apt-get "${APTSRC[@]}" source --download-only kubernetes >&2
tar xzf kubernetes_*.orig.tar.gz
cat > version.env <<'VER'
KUBE_GIT_COMMIT='faecb196815e248d3ecfb03c680a4507229c2a56'
KUBE_GIT_TREE_STATE='clean'
KUBE_GIT_VERSION='v1.20.2'
KUBE_GIT_MAJOR='1'
KUBE_GIT_MINOR='20'
VER
cd kubernetes-$VERSION
env GOPROXY=off GOFLAGS= HOME="$W" KUBE_GIT_VERSION_FILE="$W/version.env" \
  make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-proxy" >&2
cp _output/bin/kube-apiserver _output/bin/kube-controller-manager _output/bin/kube-proxy "$BIN/"
cd /; rm -rf "$W"
echo "$BIN"
