#!/usr/bin/env bash
# kubepath's real-cluster lab: a real kube-apiserver/controller-manager v1.20.2 on Debian's etcd, two
# "nodes" (network namespaces) each running the real kube-proxy (iptables mode) and a real sshd, pods
# as namespaces with real HTTP/UDP servers, and dnsmasq as cluster DNS. See scripts/lab/README.md.
#
#   bash scripts/lab/lab.sh                       up in the foreground; Ctrl-C tears everything down
#   bash scripts/lab/lab.sh up --detach [--run-dir DIR]   up, print LabInfo path, leave it running
#       [--owner-pid PID]   ... and tear it down by itself once process PID has exited
#       [--kubelet]         ... with a real kubelet + containerd + runc per node running the pods
#   bash scripts/lab/lab.sh down --run-dir DIR [--keep]   tear a detached lab down
# Exit codes: 0 ok, 1 failure (already cleaned up), 2 usage, 3 missing prerequisites.
set -Eeuo pipefail
T0=$(date +%s%N)
HERE=$(cd "$(dirname "$0")" && pwd)
for f in common network control-plane node-agents workloads objects info teardown kubelet; do
  # shellcheck disable=SC1090
  . "$HERE/lib/$f.sh"
done

CMD=up DETACH=0 RUN= OWNER_PID= KUBELET_MODE=0
while [ $# -gt 0 ]; do
  case $1 in
    up|down) CMD=$1 ;;
    --detach) DETACH=1 ;;
    --run-dir) RUN=${2:?--run-dir needs a directory}; shift ;;
    --keep) KEEP_RUN_DIR=1 ;;
    --kubelet) KUBELET_MODE=1 ;;
    --owner-pid) OWNER_PID=${2:?--owner-pid needs a PID}; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "usage: lab.sh [up [--detach] [--run-dir DIR] [--kubelet] | down --run-dir DIR [--keep]]" >&2; exit 2 ;;
  esac
  shift
done

if [ "$CMD" = down ]; then
  [ -n "$RUN" ] || { echo "lab.sh down needs --run-dir DIR" >&2; exit 2; }
  RUN=$(cd "$RUN" 2>/dev/null && pwd || echo "$RUN")
  lab_down; exit 0
fi

[ "$(id -u)" = 0 ] || { echo "lab.sh must run as root (network namespaces, iptables inside them)" >&2; exit 3; }
for b in kube-apiserver kube-controller-manager kube-proxy; do
  [ -x "$K8S_BIN/$b" ] || { echo "missing $K8S_BIN/$b: build it first with: bash scripts/lab/build-k8s.sh (about 5 min, cached)" >&2; exit 3; }
done
for b in etcd dnsmasq sshd jq curl openssl dig musl-gcc; do
  command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || { echo "missing $b: run scripts/install-deps.sh" >&2; exit 3; }
done
if [ $KUBELET_MODE = 1 ]; then
  for b in kubelet pause; do
    [ -x "$K8S_BIN/$b" ] || { echo "missing $K8S_BIN/$b: build it with: bash scripts/lab/build-k8s.sh (cached)" >&2; exit 3; }
  done
  for b in containerd ctr runc /usr/lib/cni/bridge /usr/lib/cni/host-local; do
    command -v "$b" >/dev/null || { echo "missing $b: run scripts/install-deps.sh (containerd, runc, containernetworking-plugins)" >&2; exit 3; }
  done
fi

PREFIX=kp$(openssl rand -hex 2)
while ip netns list | grep -q "^$PREFIX-"; do PREFIX=kp$(openssl rand -hex 2); done
RUN=${RUN:-/tmp/kubepath-lab-$PREFIX}
mkdir -p "$RUN/pids" "$RUN/logs"
RUN=$(cd "$RUN" && pwd)
[ -e "$RUN/lab.env" ] && die "$RUN already holds a lab (lab.env exists); tear it down or pick another --run-dir"
: >"$RUN/netns.list"
ROOT_LINK=$PREFIX-m0
pick_underlay
APISERVER=https://$ROOT_IP:6443
CLUSTER_CIDR=$(jq -r .clusterCIDR "$SCENARIO")
SERVICE_CIDR=$(jq -r .serviceCIDR "$SCENARIO")
CLUSTER_DOMAIN=$(jq -r .clusterDomain "$SCENARIO")
DNS_SERVICE_IP=$(jq -r '.services[] | select(.metadata.name == "kube-dns") | .spec.clusterIP' "$SCENARIO")
save_env

UP_OK=0
on_exit() {
  local rc=$?
  [ -n "${SLEEPER:-}" ] && kill "$SLEEPER" 2>/dev/null
  if [ $UP_OK = 0 ]; then
    echo "[lab] startup failed (rc=$rc); last log lines:" >&2
    for f in "$RUN"/logs/*.log; do [ -s "$f" ] && { echo "--- $f" >&2; tail -n 5 "$f" >&2; }; done
    KEEP_RUN_DIR=${KEEP_RUN_DIR:-0} lab_down
  elif [ $DETACH = 0 ]; then
    lab_down
  fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

log "prefix $PREFIX, underlay $NET.0/24, run dir $RUN"
make_underlay
make_credentials
start_etcd
start_apiserver
make_ssh_client_key

# Everything below up to "wait for the apiserver" overlaps with the apiserver's ~4 s start.
NODES_TSV=$(jq -r '.nodes[] | [.name, .hostOctet, .podCIDR] | @tsv' "$SCENARIO")
while IFS=$'\t' read -r name octet cidr; do
  make_node "$name" "$octet" "$cidr"
  write_node_resolv_conf "$name"
  if [ $KUBELET_MODE = 1 ]; then
    write_kubelet_cni_conf "$name" "$cidr" "${cidr%.0/24}.1"
    start_containerd "$name"
  else
    write_cni_conf "$name" "$cidr"
  fi
  start_sshd "$name" "$NET.$octet"
done <<<"$NODES_TSV"
route_nodes
start_upstream_dns
if [ $KUBELET_MODE = 1 ]; then
  # The pods are the kubelets' job; only their images and the DNS pod's config are made here.
  build_lab_images
  write_cluster_dns_conf "$(jq -r '.pods[] | select(.role == "dns") | .ip' "$SCENARIO")"
  for node in $(jq -r '.nodes[].name' "$SCENARIO"); do
    wait_until 60 "containerd on $node (log: $RUN/logs/containerd-$node.log)" ctr_node "$node" version
    import_images "$node"
  done
  log "namespaces, containerd, images, sshd and upstream DNS ready"
else
  build_podserver
  while IFS=$'\t' read -r ns pod node ip policy role; do
    make_pod_net "$ns" "$pod" "$node" "$ip"
    if [ "$role" = dns ]; then
      write_cluster_dns_conf "$ip"
      start_container "$ns" "$pod" "$node" "$policy" dnsmasq -k -C "$RUN/dns/cluster.conf"
    else
      start_container "$ns" "$pod" "$node" "$policy" "$PODSERVER" "$pod"
    fi
  done < <(jq -r '.pods[] | [.ns, .name, .node, .ip, (.dnsPolicy // "ClusterFirst"), (.role // "app")] | @tsv' "$SCENARIO")
  log "namespaces, pods, sshd and upstream DNS started"
fi

wait_until 60 "kube-apiserver /readyz (log: $RUN/logs/kube-apiserver.log)" apiserver_ready
log "apiserver ready"
start_controller_manager
create_api_objects
if [ $KUBELET_MODE = 1 ]; then
  while IFS=$'\t' read -r name octet cidr; do start_kubelet "$name" "$NET.$octet"; done <<<"$NODES_TSV"
  log "namespaces, nodes, services, pods created; kubelets started"
else
  log "namespaces, nodes, services, pods created; pods reported Running"
fi
start_dns_sync
while IFS=$'\t' read -r name octet cidr; do start_kube_proxy "$name" "$NET.$octet"; done <<<"$NODES_TSV"
log "API objects created; kube-proxy started"

for node in $(jq -r '.nodes[].name' "$SCENARIO"); do
  wait_until 60 "kube-proxy on $node to program the lab's services (log: $RUN/logs/kube-proxy-$node.log)" kube_proxy_synced "$node"
done
log "kube-proxy rules programmed on every node"
if [ $KUBELET_MODE = 1 ]; then
  wait_until 240 "the kubelets to run every scenario pod (logs: $RUN/logs/kubelet-*.log)" kubelet_pods_running
  discover_kubelet_pods
  log "every pod running under kubelet + containerd + runc"
fi
while IFS=$'\t' read -r node pod port comment; do
  add_host_firewall "$node" "$(jq -r --arg p "$pod" '.pods[] | select(.ns + "/" + .name == $p) | .ip' "$SCENARIO")" "$port" "$comment"
done < <(jq -r '.nodes[] | select(.hostFirewall) | [.name, .hostFirewall.pod, (.hostFirewall.port | tostring), .hostFirewall.comment] | @tsv' "$SCENARIO")

DNS_POD_IP=$(jq -r '.pods[] | select(.role == "dns") | .ip' "$SCENARIO")
wait_until 30 "cluster DNS to serve web.default.svc.$CLUSTER_DOMAIN" dns_answers "$DNS_POD_IP" "web.default.svc.$CLUSTER_DOMAIN"
log "cluster DNS answers"
# Every pod server answers its node (one curl process per node, not per pod).
while IFS=$'\t' read -r node urls; do
  wait_until 30 "the pod servers on $node ($urls)" ip netns exec "$PREFIX-$node" curl -sf --fail-early -m1 -o /dev/null $urls
done < <(jq -r '[.pods[] | select(.role != "dns")] | group_by(.node)[] | [.[0].node, (map("http://\(.ip):8080/") | join(" "))] | @tsv' "$SCENARIO")
for ip in $(jq -r --arg net "$NET" '.nodes[] | "\($net).\(.hostOctet)"' "$SCENARIO"); do
  wait_until 30 "sshd on $ip" bash -c "exec 3<>/dev/tcp/$ip/22"
done

write_lab_info
UP_OK=1
print_summary
if [ $DETACH = 1 ]; then
  if [ -n "$OWNER_PID" ]; then
    # A watchdog, so a killed test runner does not leave a lab behind. It execs into `down`
    # (same PID), which skips its own PID when ending the lab's processes.
    spawn watchdog bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; exec bash "$2" down --run-dir "$3"' \
      watchdog "$OWNER_PID" "$HERE/lab.sh" "$RUN"
  fi
  echo "$RUN/lab.json"
  exit 0
fi
echo "lab running; press Ctrl-C to tear it down" >&2
while :; do sleep 3600 & SLEEPER=$!; wait $SLEEPER || true; done
