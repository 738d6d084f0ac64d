#!/bin/bash
# Captures the golden iptables fixtures from the REAL tools: each ruleset is loaded into a
# private network namespace with iptables-restore / iptables-legacy-restore / ip6tables-restore,
# some loopback/dummy traffic is sent so `-c` counters are non-zero, and the real
# iptables-save output is stored as lib/parse/__fixtures__/iptables/NAME.save.
# Then NAME.json is (re)generated from our parser (review the diff by eye before committing).
#
# Usage (root): bash scripts/capture-fixtures/iptables.sh [--no-json]
# Never touches the root netns firewall; namespaces get a random kpXXXX- prefix and are
# removed on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RULES=$ROOT/scripts/capture-fixtures/iptables-rules
OUT=$ROOT/lib/parse/__fixtures__/iptables
PFX=kp$(head -c2 /dev/urandom | od -An -tx1 | tr -d ' \n')-
TMP=$(mktemp -d)
NSS=()
cleanup() {
  for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
mkdir -p "$OUT"

newns() { # $1 suffix -> sets $ns; gives it lo and a "node" interface (a veth pair: no dummy in this kernel)
  local n=$PFX$1
  ip netns add "$n"
  NSS+=("$n")
  ip -n "$n" link set lo up
  ip -n "$n" link add d0 type veth peer name d1
  ip -n "$n" link set d1 up
  ip -n "$n" addr add 192.168.77.11/24 dev d0
  ip -n "$n" -6 addr add fd00:77::11/64 dev d0 nodad
  ip -n "$n" link set d0 up
  ip -n "$n" route add 10.0.0.0/8 dev d0
  ip -n "$n" -6 route add fd00:10::/32 dev d0
  ns=$n
}

traffic4() { # first packets through nat OUTPUT → KUBE-SERVICES → SVC → SEP (DNAT) and filter
  local ns=$1
  ip netns exec "$ns" ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1 || true
  for dst in 10.96.0.1/443 10.96.10.20/80 10.96.10.20/80 10.96.10.70/80 10.96.0.10/53; do
    ip netns exec "$ns" timeout 0.3 bash -c "exec 3<>/dev/tcp/${dst%/*}/${dst#*/}" 2>/dev/null || true
  done
}

traffic6() {
  local ns=$1
  ip netns exec "$ns" ping -6 -c 1 -W 1 ::1 >/dev/null 2>&1 || true
  ip netns exec "$ns" timeout 0.3 bash -c 'exec 3<>/dev/tcp/fd00:10:96::a/80' 2>/dev/null || true
}

cd "$ROOT"
node --import tsx bench/fixture-services.ts ipv4 > "$TMP/current4.rules"
node --import tsx bench/fixture-services.ts ipv6 > "$TMP/current6.rules"

# 1. Current kube-proxy layout, nf_tables backend, with counters.
newns cur
ip netns exec "$ns" iptables-restore < "$TMP/current4.rules"
traffic4 "$ns"
ip netns exec "$ns" iptables-save -c > "$OUT/kube-proxy-current-nft-counters.save"

# 2. The same ruleset through the legacy backend (different table order and header).
newns leg
ip netns exec "$ns" iptables-legacy-restore < "$TMP/current4.rules"
ip netns exec "$ns" iptables-legacy-save > "$OUT/kube-proxy-current-legacy.save"

# 3. IPv6 (ip6tables, nf_tables), with counters.
newns v6
ip netns exec "$ns" ip6tables-restore < "$TMP/current6.rules"
traffic6 "$ns"
ip netns exec "$ns" ip6tables-save -c > "$OUT/kube-proxy-ipv6-nft-counters.save"

# 4. Old layout (KUBE-XLB, KUBE-FW → KUBE-MARK-DROP, masquerade in KUBE-SERVICES).
newns old
ip netns exec "$ns" iptables-restore < "$RULES/old-layout.rules"
ip netns exec "$ns" iptables-save > "$OUT/kube-proxy-old-layout-nft.save"

# 5. Calico-like (needs its ipsets first).
newns cal
ip netns exec "$ns" ipset restore < "$RULES/calico-like.ipset"
ip netns exec "$ns" iptables-restore < "$RULES/calico-like.rules"
ip netns exec "$ns" iptables-save > "$OUT/calico-like-nft.save"

# 6. Cilium chaining-like, legacy backend, with counters.
newns cil
ip netns exec "$ns" iptables-legacy-restore < "$RULES/cilium-chaining-like.rules"
traffic4 "$ns"
ip netns exec "$ns" iptables-legacy-save -c > "$OUT/cilium-chaining-like-legacy-counters.save"

# 7. Every match/target extension this kernel accepts, both backends.
newns zoo
ip netns exec "$ns" ipset create kpzoo hash:ip,port
ip netns exec "$ns" iptables-restore < "$RULES/module-zoo.rules"
ip netns exec "$ns" iptables-save > "$OUT/module-zoo-nft.save"
newns zol
ip netns exec "$ns" ipset create kpzoo hash:ip,port
ip netns exec "$ns" iptables-legacy-restore < "$RULES/module-zoo.rules"
ip netns exec "$ns" iptables-legacy-save > "$OUT/module-zoo-legacy.save"

# 8. Mixed backends: legacy nat + nft filter/nat in one netns. iptables-nft-save prints the
#    "legacy tables present" warning on STDERR, unbuffered, while stdout to a file is
#    block-buffered: `2>&1 > file` splices the warning into the middle of a rule line (kept as
#    the -interleaved fixture: the parser must flag that line, not misread it). Agents should
#    capture stderr separately; the clean fixture is stderr first, then stdout.
newns mix
ip netns exec "$ns" iptables-legacy-restore < "$RULES/old-layout.rules"
ip netns exec "$ns" iptables-nft-restore < "$TMP/current4.rules"
ip netns exec "$ns" iptables-nft-save -t nat > "$TMP/mix.out" 2> "$TMP/mix.err"
cat "$TMP/mix.err" "$TMP/mix.out" > "$OUT/mixed-backends-nft.save"
ip netns exec "$ns" iptables-nft-save -t nat > "$OUT/mixed-backends-nft-interleaved.save" 2>&1

if [ "${1:-}" != "--no-json" ]; then
  node --import tsx scripts/capture-fixtures/iptables-json.ts "$OUT"
fi
ls -l "$OUT"
