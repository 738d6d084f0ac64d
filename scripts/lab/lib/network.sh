# The lab's network, built from network namespaces and veth pairs (sourced by lab.sh).
#
#   root netns ── $ROOT_LINK ($ROOT_IP) ─┐
#                                        │  bridge br0 in netns $PREFIX-net: the "underlay"
#   $PREFIX-ext  ($EXT_IP)  ─────────────┤  (the nodes' default gateway and upstream DNS; no forwarding)
#   $PREFIX-node-1 (.11) ────────────────┤
#   $PREFIX-node-2 (.12) ────────────────┘
#
# Pods are wired the way Calico wires them: a /32 on the pod's eth0, a default route via the
# link-local 169.254.1.1, and a host-side veth `cali<hash>` with proxy_arp answering for it plus
# a /32 route to the pod. Nodes route each other's pod CIDR over the underlay (host-gw style).
# Only $ROOT_LINK lives in the root netns, and only its address is added there: no routes, no rules.

# Picks a random /24 in 172.16.0.0/12 whose addresses and routes do not already exist in the root netns.
pick_underlay() {
  local i a b
  for i in $(seq 1 50); do
    a=$(( 16 + RANDOM % 16 )); b=$(( RANDOM % 256 ))
    NET=172.$a.$b
    if ! ip -4 addr show | grep -q " $NET\." && ! ip -4 route show | grep -q "^$NET\." \
       && ! ip -4 route show | grep -q "^172\.$a\.0\.0/"; then
      ROOT_IP=$NET.1; EXT_IP=$NET.2; return 0
    fi
  done
  die "no free 172.16-31.x.0/24 subnet found for the underlay"
}

# $1 netns, $2 name of the veth end in the underlay netns, $3 address
attach_underlay() {
  ip link add "$2" netns "$PREFIX-net" type veth peer name eth0 netns "$1"
  ip -n "$PREFIX-net" link set "$2" master br0 up
  ip -n "$1" addr add "$3/24" dev eth0
  ip -n "$1" link set eth0 up
}

make_underlay() {
  add_netns "$PREFIX-net"
  ip -n "$PREFIX-net" link add br0 type bridge
  ip -n "$PREFIX-net" link set br0 up
  ip link add "$ROOT_LINK" type veth peer name up-root netns "$PREFIX-net"
  ip -n "$PREFIX-net" link set up-root master br0 up
  ip addr add "$ROOT_IP/24" dev "$ROOT_LINK"
  ip link set "$ROOT_LINK" up
  # The "outside world": default gateway of the nodes (which drops what it is sent: no
  # ip_forward) and home of the upstream DNS server. It needs return routes to the pod CIDRs.
  add_netns "$PREFIX-ext"
  attach_underlay "$PREFIX-ext" up-ext "$EXT_IP"
}

# $1 node name, $2 host octet, $3 pod CIDR
make_node() {
  local ns=$PREFIX-$1 ip=$NET.$2
  add_netns "$ns"
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
  attach_underlay "$ns" "up-$1" "$ip"
  ip -n "$ns" route add default via "$EXT_IP"
  ip -n "$PREFIX-ext" route add "$3" via "$ip"
}

# Host-gw routes: every node reaches every other node's pod CIDR via that node's underlay address.
route_nodes() {
  local a b cidr octet
  for a in $(jq -r '.nodes[].name' "$SCENARIO"); do
    while IFS=$'\t' read -r b cidr octet; do
      [ "$a" = "$b" ] || ip -n "$PREFIX-$a" route add "$cidr" via "$NET.$octet"
    done < <(jq -r '.nodes[] | [.name, .podCIDR, .hostOctet] | @tsv' "$SCENARIO")
  done
}

# Calico names the host side cali + the first 11 hex digits of sha1("<ns>.<pod>").
cali_name() { printf 'cali%s' "$(printf '%s.%s' "$1" "$2" | sha1sum | cut -c1-11)"; }

# $1 namespace, $2 pod, $3 node, $4 pod IP
make_pod_net() {
  local node=$PREFIX-$3 pns=$PREFIX-p-$1-$2 veth
  veth=$(cali_name "$1" "$2")
  add_netns "$pns"
  ip link add "$veth" netns "$node" type veth peer name eth0 netns "$pns"
  ip -n "$pns" addr add "$4/32" dev eth0
  ip -n "$pns" link set eth0 up
  ip -n "$pns" route add 169.254.1.1 dev eth0 scope link
  ip -n "$pns" route add default via 169.254.1.1 dev eth0
  # proxy_arp makes the node answer for 169.254.1.1; proxy_delay=0 removes the kernel's random
  # 0-800 ms delay before a proxy ARP reply (Calico sets the same).
  ip netns exec "$node" sysctl -qw "net.ipv4.conf.$veth.proxy_arp=1" "net.ipv4.neigh.$veth.proxy_delay=0"
  ip -n "$node" link set "$veth" up
  ip -n "$node" route add "$4/32" dev "$veth" scope link
}
