#!/usr/bin/env bash
# Installs everything kubepath's tests and console need on a fresh Debian bookworm machine (root).
# Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

APT_PACKAGES=(iptables ipset ipvsadm conntrack nftables iproute2 openssh-server openssh-client dnsmasq
  bind9-dnsutils chromium golang-go etcd-server etcd-client rsync musl-tools gcc libc6-dev poppler-utils curl jq util-linux
  openssl containerd runc containernetworking-plugins)   # the last three: the kubelet lab mode (scripts/lab/README.md)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` refuses this lock file when the registry has no entry for next's darwin/win32 SWC
  # binaries (optional, never installed here), so fall back to `npm install`, which keeps the
  # locked versions.
  npm ci --no-audit --no-fund || npm install --no-audit --no-fund
fi
