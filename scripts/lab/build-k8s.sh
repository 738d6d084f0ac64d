#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-proxy and kubelet v1.20.2 offline from Debian
# bookworm's `kubernetes` source package (the only real apiserver available here), plus the pod
# sandbox's `pause` (build/pause/linux/pause.c from the same tree, static against musl). Cached by
# version outside the checkout; never committed. Only missing binaries are built, so a cache made
# before kubelet was added keeps its control-plane binaries. Prints the bin directory on success.
set -euo pipefail
VERSION=1.20.2
CACHE=${KUBEPATH_K8S_CACHE:-/var/cache/kubepath/k8s-v$VERSION}
BIN=$CACHE/bin
# One build at a time on this machine (several engineers' tests may ask for it at once).
mkdir -p "$CACHE"; exec 9>"$CACHE.lock"; flock 9
# BUILD-INFO marks a build with the reflect2 fix below; binaries without it are rebuilt.
STAMP="k8s v$VERSION, vendored modern-go/reflect2 replaced by 1.0.2"
# A build without the stamp predates the reflect2 fix: rebuild everything.
[ "$(cat "$BIN/BUILD-INFO" 2>/dev/null)" = "$STAMP" ] || rm -f "$BIN"/kube-* "$BIN/kubelet" "$BIN/pause"
WHAT=()
for c in kube-apiserver kube-controller-manager kube-proxy kubelet; do
  [ -x "$BIN/$c" ] || WHAT+=("cmd/$c")
done
if [ "${#WHAT[@]}" -eq 0 ] && [ -x "$BIN/pause" ]; then
  echo "$BIN"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
command -v go >/dev/null || apt-get install -y -q golang-go etcd-server etcd-client rsync >&2
command -v musl-gcc >/dev/null || apt-get install -y -q musl-tools >&2
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
apt-get "${APTSRC[@]}" source --download-only kubernetes golang-github-modern-go-reflect2 >&2
tar xzf kubernetes_*.orig.tar.gz
# k8s 1.20 vendors modern-go/reflect2 v1.0.1, which is broken under Go >= 1.18 (the only Go here is
# 1.19): the apiserver then panics (nil pointer in reflect2.Type2) whenever it JSON-encodes or
# -decodes an object with a map field, e.g. any Pod or ConfigMap, so every JSON client fails while
# protobuf clients (kube-proxy, controller-manager, kubectl create) work. v1.0.2 is the upstream fix
# (kubernetes took it in 1.23) and is API compatible; Debian ships it, so it is swapped in here.
mkdir reflect2 && tar xzf golang-github-modern-go-reflect2_*.orig.tar.gz -C reflect2 --strip-components=1
R2=kubernetes-$VERSION/vendor/github.com/modern-go/reflect2
rm -f "$R2"/*.go "$R2"/*.s
cp reflect2/*.go "$R2/"
cp reflect2/*.s "$R2/" 2>/dev/null || true
rm -f "$R2"/*_test.go
sed -i 's|^# github.com/modern-go/reflect2 v1.0.1$|# github.com/modern-go/reflect2 v1.0.2|' kubernetes-$VERSION/vendor/modules.txt
cat > version.env <<'VER'
KUBE_GIT_COMMIT='faecb196815e248d3ecfb03c680a4507229c2a56'
KUBE_GIT_TREE_STATE='clean'
KUBE_GIT_VERSION='v1.20.2'
KUBE_GIT_MAJOR='1'
KUBE_GIT_MINOR='20'
VER
cd kubernetes-$VERSION
if [ "${#WHAT[@]}" -gt 0 ]; then
  env GOPROXY=off GOFLAGS= HOME="$W" KUBE_GIT_VERSION_FILE="$W/version.env" make WHAT="${WHAT[*]}" >&2
  for c in "${WHAT[@]}"; do cp "_output/bin/${c#cmd/}" "$BIN/"; done
fi
# The sandbox ("pause") container's only process: static, so the image is this one file.
musl-gcc -static -Os -DVERSION="v$VERSION-kubepath" -o "$BIN/pause" build/pause/linux/pause.c
echo "$STAMP" >"$BIN/BUILD-INFO"
cd /; rm -rf "$W"
echo "$BIN"
