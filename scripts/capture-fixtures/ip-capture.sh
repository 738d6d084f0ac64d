#!/bin/bash
# Captures `ip addr`, `ip -j addr`, `ip route`, `ip -j route`, `ip route show table all` (v4 and v6)
# from a private node netns shaped like a Kubernetes node: eth0 uplink (veth to a peer netns),
# bridge cni0 with a pod veth, a calico-style veth cali1234 (peer eth0 is if2 in the pod netns),
# a dummy kube-ipvs0 holding ClusterIPs, IPv6 addresses, blackhole/unreachable routes.
source "$(dirname "$0")/common.sh"
mkns node; mkns pod; mkns peer
N="$PFX"node
inns node sysctl -qw net.ipv4.ip_forward=1
# uplink: node eth0 <-> peer eth0
ip -n "$N" link add eth0 type veth peer name eth0 netns "$PFX"peer
ip -n "$N" addr add 192.168.77.11/24 dev eth0
ip -n "$N" addr add fd00:77::11/64 dev eth0 nodad
ip -n "$N" link set eth0 up; ip -n "$PFX"peer link set eth0 up
ip -n "$PFX"peer addr add 192.168.77.1/24 dev eth0
# flannel/bridge style: cni0 with one pod port
ip -n "$N" link add cni0 type bridge
ip -n "$N" addr add 10.244.1.1/24 dev cni0
ip -n "$N" addr add fd00:10:244:1::1/64 dev cni0 nodad
ip -n "$N" link add vethab12cd34 type veth peer name vethpeer0
ip -n "$N" link set vethab12cd34 master cni0 up
ip -n "$N" link set cni0 up
# calico style: host side cali1234, pod side eth0; `ip link` shows cali1234@if2 (eth0's index in the pod netns)
ip -n "$N" link add cali1234 type veth peer name eth0 netns "$PFX"pod
ip -n "$N" link set cali1234 up; ip -n "$PFX"pod link set eth0 up
ip -n "$PFX"pod addr add 10.244.1.9/32 dev eth0
ip -n "$N" route add 10.244.1.9/32 dev cali1234 scope link
# kube-proxy IPVS mode: kube-ipvs0 holding ClusterIPs (DOWN, NOARP). On real nodes it is a
# dummy device; this kernel has no CONFIG_DUMMY, so a port-less bridge stands in (same ip output
# shape apart from the link kind shown by `ip -d`).
ip -n "$N" link add kube-ipvs0 type bridge
ip -n "$N" link set kube-ipvs0 arp off
ip -n "$N" addr add 10.96.0.1/32 dev kube-ipvs0
ip -n "$N" addr add 10.96.0.10/32 dev kube-ipvs0
ip -n "$N" addr add fd00:10:96::1/128 dev kube-ipvs0 nodad
# routes a node typically has
ip -n "$N" route add default via 192.168.77.1 dev eth0 proto static metric 100
ip -n "$N" route add 10.244.2.0/24 via 192.168.77.12 dev eth0 onlink
ip -n "$N" route add blackhole 10.244.3.0/24 proto bird
ip -n "$N" route add unreachable 10.244.4.0/24
ip -n "$N" -6 route add default via fd00:77::1 dev eth0 metric 1024
ip -n "$N" -6 route add blackhole fd00:10:244:3::/64
ip -n "$N" route add 172.16.0.0/16 via 192.168.77.1 table 100
# IPv6 link-local and multicast routes appear asynchronously (addrconf) once links are up;
# wait for them (up to 5 s) so captures do not depend on machine load.
for _ in $(seq 50); do
  v6=$(inns node ip -6 route show table all)
  if grep -q 'fe80::/64 dev eth0' <<<"$v6" && grep -q 'fe80::/64 dev cali1234' <<<"$v6" \
     && grep -q 'ff00::/8 dev eth0' <<<"$v6" && grep -q 'ff00::/8 dev cali1234' <<<"$v6"; then break; fi
  sleep 0.1
done
D="$FIX/ip-addr"; R="$FIX/ip-route"
inns node ip addr > "$D/node.txt"
inns node ip -j addr > "$D/node-json.txt"
inns node ip -d addr show dev cali1234 > "$D/node-details-cali.txt"
inns node ip route > "$R/main.txt"
inns node ip -6 route > "$R/main-v6.txt"
inns node ip -j route > "$R/main-json.txt"
inns node ip route show table all > "$R/table-all.txt"
inns node ip -6 route show table all > "$R/table-all-v6.txt"
inns node ip -j route show table all > "$R/table-all-json.txt"
echo "ip fixtures written to $D and $R"
# The kernel's own answers, as the oracle for routeLookup: one `ip -o route get` per destination.
for dst in 10.96.0.1 10.96.0.10 10.96.0.99 10.244.1.1 10.244.1.9 10.244.1.200 10.244.2.5 10.244.3.7 10.244.4.1 \
           192.168.77.11 192.168.77.50 192.168.77.255 127.0.0.1 127.8.8.8 8.8.8.8 172.16.1.1 \
           fd00:10:96::1 fd00:10:244:1::9 fd00:10:244:3::1 fd00:77::11 fd00:77::99 2001:db8::1 ::1; do
  printf '%s\t%s\n' "$dst" "$(inns node ip -o route get "$dst" 2>&1 | tr -s ' \t' ' ')"
done > "$R/route-get.tsv"
