#!/bin/bash
# Shared helpers for the fixture-capture scripts: a private netns with a unique prefix,
# removed on exit. Never touches the root netns firewall.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "capture scripts need root (network namespaces)" >&2; exit 1; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# KP_FIXTURE_DIR lets the reproducibility test capture into a scratch directory.
FIX="${KP_FIXTURE_DIR:-$ROOT/lib/parse/__fixtures__}"
PFX="kp$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')-"
echo "netns prefix: $PFX" >&2
NSES=()
mkns() { ip netns add "$PFX$1"; NSES+=("$PFX$1"); ip -n "$PFX$1" link set lo up; }
cleanup() { for n in "${NSES[@]}"; do ip netns del "$n" 2>/dev/null || true; done; }
trap cleanup EXIT
inns() { local n="$1"; shift; ip netns exec "$PFX$n" "$@"; }
