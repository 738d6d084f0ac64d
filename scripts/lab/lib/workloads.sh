# The lab's "containers" (sourced by lab.sh): real servers in pod namespaces, each in its own
# mount + UTS namespace with the resolv.conf kubelet would have written bind-mounted onto
# /etc/resolv.conf, so /proc/<pid>/root/etc/resolv.conf shows it, as on a real node.
# Plus DNS: dnsmasq as the cluster DNS (behind kube-dns) and an "upstream" dnsmasq in the ext netns.

# The app pods' server (podserver.c), built static against musl into the run dir: ~0.2 s, and it
# overlaps the apiserver's start. A static binary needs nothing from the pod's mount namespace.
build_podserver() {
  mkdir -p "$RUN/bin"
  PODSERVER=$RUN/bin/podserver
  musl-gcc -static -O2 -Wall -o "$PODSERVER" "$LAB_DIR/podserver.c" 2>"$RUN/logs/podserver-build.log" \
    || die "building podserver.c failed: $(cat "$RUN/logs/podserver-build.log")"
}

# $1 namespace, $2 dnsPolicy, $3 node name: the resolv.conf kubelet writes for the pod.
pod_resolv_conf() {
  case $2 in
    Default) cat "$RUN/nodes/$3/etc/resolv.conf" ;;   # the node's own resolver, i.e. the upstream
    *) printf 'search %s.svc.%s svc.%s %s\nnameserver %s\noptions ndots:5\n' \
         "$1" "$CLUSTER_DOMAIN" "$CLUSTER_DOMAIN" "$CLUSTER_DOMAIN" "$DNS_SERVICE_IP" ;;
  esac
}

# $1 node name: the node's /etc/resolv.conf (what dnsPolicy Default pods inherit).
write_node_resolv_conf() {
  mkdir -p "$RUN/nodes/$1/etc"
  printf 'nameserver %s\n' "$EXT_IP" >"$RUN/nodes/$1/etc/resolv.conf"
}

# $1 namespace, $2 pod, $3 node, $4 dnsPolicy, $5... command. Runs the command as the pod's
# container: in the pod netns, in fresh mount + UTS namespaces (hostname = pod name).
start_container() {
  local ns=$1 pod=$2 node=$3 policy=$4; shift 4
  local d=$RUN/pods/$ns/$pod
  mkdir -p "$d"
  pod_resolv_conf "$ns" "$policy" "$node" >"$d/resolv.conf"
  # unshare -m makes mounts private by default, so the bind mount never leaks to the host.
  spawn "pod-$ns-$pod" ip netns exec "$PREFIX-p-$ns-$pod" unshare --mount --uts \
    sh -c 'hostname "$1" && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"' \
    sh "$pod" "$d/resolv.conf" "$@"
}

start_upstream_dns() {
  mkdir -p "$RUN/dns"
  {
    echo "no-resolv"; echo "no-hosts"; echo "bind-interfaces"; echo "listen-address=$EXT_IP"
    echo "user=root"; echo "pid-file="; echo "log-queries=extra"; echo "log-facility=$RUN/dns/upstream-queries.log"
    # local=/#/ makes every name not listed answer NXDOMAIN/NODATA like a real authoritative
    # upstream (a bare local=/ would answer REFUSED).
    echo "local=/#/"
    jq -r '.upstreamRecords | to_entries[] | "host-record=\(.key),\(.value)"' "$SCENARIO"
  } >"$RUN/dns/upstream.conf"
  dnsmasq --test -C "$RUN/dns/upstream.conf" 2>/dev/null
  spawn dns-upstream ip netns exec "$PREFIX-ext" dnsmasq -k -C "$RUN/dns/upstream.conf"
}

# $1 DNS pod IP. Cluster DNS: names under the cluster domain come only from the hosts dir that
# dns-sync.mjs keeps in step with the API (anything else there is NXDOMAIN, never forwarded, as
# CoreDNS's kubernetes plugin does without fallthrough); everything else goes upstream.
write_cluster_dns_conf() {
  mkdir -p "$RUN/dns/hosts"
  {
    echo "no-resolv"; echo "no-hosts"; echo "bind-interfaces"; echo "listen-address=$1"
    echo "user=root"; echo "pid-file="; echo "log-queries=extra"; echo "log-facility=$RUN/dns/cluster-queries.log"
    echo "local=/$CLUSTER_DOMAIN/"; echo "local=/96.10.in-addr.arpa/"; echo "local=/244.10.in-addr.arpa/"
    echo "hostsdir=$RUN/dns/hosts"
    echo "server=$EXT_IP"
    # ExternalName Services are CNAMEs (fixed by the scenario, so static config is enough).
    jq -r --arg d "$CLUSTER_DOMAIN" '.services[] | select(.spec.type == "ExternalName")
      | "cname=\(.metadata.name).\(.metadata.namespace).svc.\($d),\(.spec.externalName)"' "$SCENARIO"
  } >"$RUN/dns/cluster.conf"
  dnsmasq --test -C "$RUN/dns/cluster.conf" 2>/dev/null
}

start_dns_sync() {
  spawn dns-sync node "$LAB_DIR/dns-sync.mjs" "$APISERVER" "$RUN/pki/apiserver.crt" "$RUN/admin.token" \
    "$RUN/dns/hosts" "$CLUSTER_DOMAIN"
}

# $1 DNS server address, $2 name: true once that server answers for $2 (asked from the ext netns).
dns_answers() { ip netns exec "$PREFIX-ext" dig +short +time=1 +tries=1 "@$1" "$2" | grep -q .; }
