#!/usr/bin/env bash
# Builds the kubelet lab's container images as OCI archives, without a registry or a docker daemon,
# and prints one "<image ref> <archive>" line per image:
#   kubepath.local/pause:v1.20.2      the pod sandbox: build/pause/linux/pause.c of the Kubernetes tree
#                                     (built by build-k8s.sh, static musl), nothing else
#   kubepath.local/podserver:lab      scripts/lab/podserver.c, static musl, nothing else
#   kubepath.local/dnsmasq:lab        the lab's cluster DNS server: Debian's dnsmasq and its libraries
#   kubepath-agent:0.1.0              the pod agent: node + agents/pod/agent-main.ts bundled by esbuild +
#                                     the allowlisted tools (iptables*, nft, ip, ipset, ipvsadm,
#                                     conntrack, nsenter, sh, cat, ls, readlink, tr) with their shared
#                                     libraries and xtables extensions, copied from this machine
#
#   build-images.sh OUT_DIR [pause|podserver|dnsmasq|agent ...]   (default: all four)
# The agent image holds this machine's binaries so its captures match what SSH sees on the same lab
# node byte for byte (a real cluster builds agents/pod/Dockerfile instead).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
K8S_BIN=${KUBEPATH_K8S_BIN:-/var/cache/kubepath/k8s-v1.20.2/bin}
OUT=${1:?usage: build-images.sh OUT_DIR [pause|podserver|agent ...]}; shift
WHICH=${*:-pause podserver dnsmasq agent}
mkdir -p "$OUT"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT

PAUSE_REF=kubepath.local/pause:v1.20.2
PODSERVER_REF=kubepath.local/podserver:lab
AGENT_REF=${KUBEPATH_AGENT_IMAGE:-kubepath-agent:0.1.0}
DNSMASQ_REF=kubepath.local/dnsmasq:lab

# archive ROOT REF NAME OCI-ARCHIVE-OPTIONS...: OUT/NAME.tar, reused from a previous build when the
# root filesystem and options are byte-identical (gzip of the agent's ~150 MB is the slow part).
archive() {
  local root=$1 ref=$2 name=$3; shift 3
  local key; key=$( { tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - . ; echo "$ref $*"; } | sha256sum | cut -c1-16)
  local cached=$OUT/.cache/$name-$key.tar
  if [ ! -s "$cached" ]; then
    mkdir -p "$OUT/.cache"; rm -f "$OUT/.cache/$name-"*.tar
    "$HERE/oci-archive.sh" "$root" "$ref" "$cached.tmp" "$@" >/dev/null && mv "$cached.tmp" "$cached"
  fi
  ln -f "$cached" "$OUT/$name.tar"
  echo "$ref $OUT/$name.tar"
}

# Directories every image has, so runc finds its mount points even on a read-only root.
skeleton() { mkdir -p "$1"/{proc,sys,dev,run,tmp,etc}; : >"$1/etc/hosts"; : >"$1/etc/resolv.conf"; : >"$1/etc/hostname"; }

pause_image() {
  [ -x "$K8S_BIN/pause" ] || { echo "build-images: missing $K8S_BIN/pause; run scripts/lab/build-k8s.sh" >&2; exit 3; }
  local r=$W/pause; skeleton "$r"
  cp "$K8S_BIN/pause" "$r/pause"
  archive "$r" "$PAUSE_REF" pause --entrypoint '["/pause"]'
}

podserver_image() {
  local r=$W/podserver; skeleton "$r"
  musl-gcc -static -O2 -s -Wall -o "$r/podserver" "$REPO/scripts/lab/podserver.c"
  archive "$r" "$PODSERVER_REF" podserver --entrypoint '["/podserver"]'
}

# copy_file ROOT PATH: PATH (resolved through symlinks) copied to the same place under ROOT.
copy_file() {
  local real; real=$(readlink -f "$2")
  [ -e "$1$real" ] || { mkdir -p "$1$(dirname "$real")"; cp "$real" "$1$real"; }
  echo "$real"
}
# copy_libs ROOT FILE: every shared library FILE needs (ldd), at the path the loader looks in.
copy_libs() {
  local lib
  for lib in $(ldd "$2" 2>/dev/null | grep -oE '/[^ ]+' | sort -u); do
    local dst=$1$lib
    [ -e "$dst" ] || { mkdir -p "$(dirname "$dst")"; cp "$(readlink -f "$lib")" "$dst"; }
  done
}
# copy_tool ROOT NAME: the command NAME as found on PATH here, as a symlink of the same name (the
# xtables multi-binary dispatches on its argv[0]) to the resolved binary, plus its libraries.
copy_tool() {
  local path real
  path=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$2") || { echo "build-images: missing tool $2 (scripts/install-deps.sh)" >&2; exit 3; }
  real=$(copy_file "$1" "$path")
  copy_libs "$1" "$real"
  mkdir -p "$1/usr/bin"
  [ "/usr/bin/$2" = "$real" ] || ln -sf "$real" "$1/usr/bin/$2"
}

agent_image() {
  local r=$W/agent t x
  skeleton "$r"; mkdir -p "$r/opt/kubepath" "$r/bin"
  (cd "$REPO" && node_modules/.bin/esbuild agents/pod/agent-main.ts --bundle --platform=node --format=esm \
     --target=node20 --log-level=warning --outfile="$r/opt/kubepath/agent.mjs")
  for t in node sh cat ls readlink tr nsenter ip iptables-save ip6tables-save iptables-legacy-save \
           ip6tables-legacy-save ipvsadm ipset nft conntrack; do
    copy_tool "$r" "$t"
  done
  ln -sf /usr/bin/sh "$r/bin/sh"
  # xtables extensions (the matches and targets iptables-save prints) and what they link.
  # Copied as a directory: several are symlinks (libxt_DNAT.so -> libxt_NAT.so) that iptables opens by name.
  mkdir -p "$r/usr/lib/x86_64-linux-gnu"; cp -a /usr/lib/x86_64-linux-gnu/xtables "$r/usr/lib/x86_64-linux-gnu/"
  for x in /usr/lib/x86_64-linux-gnu/xtables/*.so; do copy_libs "$r" "$x"; done
  for x in /etc/protocols /etc/services /etc/ethertypes; do [ -e "$x" ] && copy_file "$r" "$x" >/dev/null; done
  [ -d /etc/iproute2 ] && cp -r /etc/iproute2 "$r/etc/"
  archive "$r" "$AGENT_REF" agent --cmd '["node","/opt/kubepath/agent.mjs"]' --workdir /opt/kubepath
}

# The lab's cluster DNS server (dnsmasq, as CoreDNS stands in for it): the binary, its libraries,
# and the passwd/group entries its `user=root` looks up.
dnsmasq_image() {
  local r=$W/dnsmasq; skeleton "$r"
  copy_tool "$r" dnsmasq
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
  archive "$r" "$DNSMASQ_REF" dnsmasq --entrypoint '["/usr/bin/dnsmasq"]'
}

for i in $WHICH; do
  case $i in
    pause) pause_image ;;
    podserver) podserver_image ;;
    agent) agent_image ;;
    dnsmasq) dnsmasq_image ;;
    *) echo "build-images: unknown image $i (pause|podserver|agent)" >&2; exit 2 ;;
  esac
done
