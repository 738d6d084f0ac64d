#!/bin/bash
# This kernel has no ip_vs, so `ipvsadm -Ln` tables cannot be captured here. This script writes
# them with the same printf formats ipvsadm 1.31 uses (print_title, print_service_entry,
# print_largenum), so the padding and column widths are exactly what a real node prints.
set -euo pipefail
OUT="$(cd "$(dirname "$0")/../.." && pwd)/lib/parse/__fixtures__/ipvsadm"
title() { printf 'IP Virtual Server version 1.2.1 (size=4096)\n'; }
list_title() { printf 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n'; }
svc() { printf '%s %s\n' "$1" "$2"; }                      # svc "TCP  10.96.0.1:443" "rr persistent 10800"
rs() { printf '  -> %-28s %-7s %-6d %-10u %-10u\n' "$1" "$2" "$3" "$4" "$5"; }
largenum() { # print_largenum without --exact
  local i=$1
  if [ "$i" -lt 100000000 ]; then printf '%9d' "$i"
  elif [ "$i" -lt 1000000000 ]; then printf '%8dK' $((i / 1000))
  elif [ "$i" -lt 100000000000 ]; then printf '%8dM' $((i / 1000000))
  elif [ "$i" -lt 100000000000000 ]; then printf '%8dG' $((i / 1000000000))
  else printf '%8dT' $((i / 1000000000000)); fi
}
exactnum() { local l=${#1}; local w=$(( l <= 8 ? 9 : l + 1 )); printf '%*d' "$w" "$1"; }
stats_title() { printf '%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n' 'Prot LocalAddress:Port' Conns InPkts OutPkts InBytes OutBytes; }
stats_row() { local fn=$1 name=$2; shift 2; printf '%s' "$name"; for n in "$@"; do $fn "$n"; done; printf '\n'; }
{
  title; list_title
  svc 'TCP  10.96.0.1:443' 'rr'
  rs 192.168.0.10:6443 Masq 1 3 0
  svc 'TCP  10.96.0.10:53' 'rr'
  rs 10.244.0.2:53 Masq 1 0 0
  rs 10.244.1.3:53 Masq 1 0 0
  svc 'TCP  10.96.0.20:80' 'rr'
  rs 10.244.1.5:8080 Masq 1 0 0
  rs 10.244.2.7:8080 Masq 1 0 0
  svc 'TCP  10.96.0.30:80' 'rr persistent 10800'
  rs 10.244.1.9:80 Masq 1 0 0
  svc 'TCP  10.96.0.40:80' 'sh (sh-fallback,sh-port) persistent 300 mask 255.255.255.0'
  svc 'TCP  192.168.0.2:30080' 'rr'
  rs 10.244.1.5:8080 Masq 1 0 0
  rs 10.244.2.7:8080 Masq 0 0 4
  svc 'UDP  10.96.0.10:53' 'rr'
  rs 10.244.0.2:53 Masq 1 0 0
  rs 10.244.1.3:53 Masq 1 0 0
  svc 'UDP  10.96.0.50:514' 'wrr ops'
  rs 10.244.2.9:514 Route 3 0 0
  svc 'SCTP  10.96.0.60:9999' 'lc'
  rs 10.244.1.12:9999 Tunnel 1 0 0
  svc 'FWM  10' 'rr'
  rs 10.244.1.5:0 Masq 1 0 0
  svc 'TCP  [fd00:10:96::1]:443' 'rr persistent 10800 mask 64'
  rs '[2001:db8::10]:6443' Masq 1 0 0
  svc 'FWM  11 IPv6' 'rr'
} > "$OUT/kube-proxy-list.txt"
{
  title; stats_title
  stats_row largenum "$(printf '%-33s' 'TCP  10.96.0.1:443')" 1862 830843512 1135489012 155212000123 999
  stats_row largenum "$(printf '  -> %-28s' 192.168.0.10:6443)" 1862 830843512 1135489012 155212000123 999
  stats_row largenum "$(printf '%-33s' 'UDP  10.96.0.10:53')" 0 12 12 900 1800
  stats_row largenum "$(printf '  -> %-28s' 10.244.0.2:53)" 0 12 12 900 1800
} > "$OUT/kube-proxy-stats.txt"
{
  title; stats_title
  stats_row exactnum "$(printf '%-33s' 'TCP  10.96.0.1:443')" 1862 830843512 1135489012 155212000123 999
  stats_row exactnum "$(printf '  -> %-28s' 192.168.0.10:6443)" 1862 830843512 1135489012 155212000123 999
} > "$OUT/kube-proxy-stats-exact.txt"
echo "ipvsadm fixtures written to $OUT"
