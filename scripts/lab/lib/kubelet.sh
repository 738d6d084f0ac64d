# The kubelet lab mode (`lab.sh up --kubelet`, sourced by lab.sh): on every node a real containerd
# (Debian 1.6) + runc and the real kubelet v1.20.2, both inside the node's netns and UTS namespace,
# so hostNetwork pods land in the node's netns with the node's hostname and kubelet's own iptables
# chains (KUBE-MARK-DROP, KUBE-FIREWALL, KUBE-KUBELET-CANARY) are written there. Pods get their netns
# from the CRI plugin and CNI (Debian's bridge plugin; fixed scenario addresses from
# cni/kubepath-lab-ipam). Images come from images/build-images.sh, imported with `ctr images import`.
#
# Two things this machine needs (both found the hard way, see README "Kubelet mode"):
# - nsenter --net, not `ip netns exec`: the latter remounts /sys and the cgroup mounts vanish.
# - restrict_oom_score_adj: this VM's capability bounding set has no CAP_SYS_RESOURCE, so nobody may
#   lower oom_score_adj below 0; kubelet asks -998 for every sandbox, and runc then dies with
#   "can't get final child's PID from pipe: EOF".

IMAGE_CACHE=${KUBEPATH_IMAGE_CACHE:-/var/cache/kubepath/images}

ctd_dir() { echo "$RUN/nodes/$1/containerd"; }
ctr_node() { local n=$1; shift; ctr -a "$(ctd_dir "$n")/containerd.sock" -n k8s.io "$@"; }

build_lab_images() {
  bash "$LAB_DIR/images/build-images.sh" "$IMAGE_CACHE" >"$RUN/logs/images.log" 2>&1 \
    || die "building the lab images failed: $(tail -5 "$RUN/logs/images.log")"
}

# $1 node, $2 pod CIDR, $3 gateway (the CIDR's .1)
write_kubelet_cni_conf() {
  local d=$RUN/nodes/$1/etc/cni/net.d bin=$RUN/nodes/$1/cni-bin f
  rm -f "$d"/*.conflist; mkdir -p "$d" "$bin" "$RUN/nodes/$1/cni-ipam"
  # The CRI plugin takes one bin dir: Debian's plugins plus the lab's IPAM plugin.
  for f in /usr/lib/cni/*; do ln -sf "$f" "$bin/"; done
  ln -sf "$LAB_DIR/cni/kubepath-lab-ipam" "$bin/"
  jq -n --arg node "$1" --arg cidr "$2" --arg gw "$3" --arg ipam "$RUN/nodes/$1/cni-ipam" --slurpfile sc "$SCENARIO" '{
    cniVersion: "0.4.0", name: "kubepath-lab",
    plugins: [
      { type: "bridge", bridge: "cni0", isGateway: true, ipMasq: false, hairpinMode: true,
        ipam: { type: "kubepath-lab-ipam", gateway: $gw, netnsLog: ($ipam + "/netns.list"),
          addresses: ([$sc[0].pods[] | select(.node == $node) | {key: "\(.ns)/\(.name)", value: "\(.ip)/24"}] | from_entries),
          fallback: { type: "host-local", dataDir: $ipam,
            ranges: [[{ subnet: $cidr, rangeStart: ($cidr | sub("\\.0/24$"; ".200")), gateway: $gw }]] } } },
      { type: "portmap", snat: true, capabilities: { portMappings: true } }
    ] }' >"$d/10-kubepath-lab.conflist"
}

# $1 node
start_containerd() {
  local c; c=$(ctd_dir "$1")
  mkdir -p "$c"
  cat >"$c/config.toml" <<TOML
version = 2
root = "$c/root"
state = "$c/state"
oom_score = 0
[grpc]
  address = "$c/containerd.sock"
[ttrpc]
  address = "$c/containerd-ttrpc.sock"
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "kubepath.local/pause:v1.20.2"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$c/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$RUN/nodes/$1/cni-bin"
    conf_dir = "$RUN/nodes/$1/etc/cni/net.d"
TOML
  spawn "containerd-$1" unshare --uts sh -c "hostname $1 && exec nsenter --net=/run/netns/$PREFIX-$1 containerd -c $c/config.toml"
}

# $1 node: loads every lab image into the node's containerd (CRI's namespace, its snapshotter).
import_images() {
  local f
  for f in pause podserver dnsmasq agent; do
    ctr_node "$1" images import --snapshotter native "$IMAGE_CACHE/$f.tar" >>"$RUN/logs/images.log" 2>&1 \
      || die "ctr images import $f on $1 failed: $(tail -3 "$RUN/logs/images.log")"
  done
  # The CRI plugin looks a pod's image up by its normalised name: "kubepath-agent:0.1.0" (the agent's
  # default) is "docker.io/library/kubepath-agent:0.1.0" to it, so short names get that alias.
  local ref
  for ref in $(ctr_node "$1" images ls -q | grep -v '^sha256:' | grep -vE '^[^/]*[.:][^/]*/'); do
    case $ref in */*) ;; *) ctr_node "$1" images tag --force "$ref" "docker.io/library/$ref" >/dev/null ;; esac
  done
}

# $1 node, $2 underlay address
start_kubelet() {
  local k=$RUN/nodes/$1/kubelet
  mkdir -p "$k"
  cat >"$k/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# cgroupfs, no QoS hierarchy, no node-allocatable enforcement: the lab's nodes share one machine's
# cgroup tree (v1) with each other and with other work.
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
# this machine cannot lower oom_score_adj (no CAP_SYS_RESOURCE)
oomScoreAdj: 0
address: $2
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
# The apiserver reaches kubelet (logs, exec) with no client certificate; the lab's kubelet trusts it.
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: false}
authorization: {mode: AlwaysAllow}
clusterDNS: [$DNS_SERVICE_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: $RUN/nodes/$1/etc/resolv.conf
hairpinMode: hairpin-veth
evictionHard: {}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
nodeStatusUpdateFrequency: 10s
YAML
  write_kubeconfig "$k/kubeconfig" "system:node:$1" "$(sed -n "s/^\([^,]*\),system:node:$1,.*/\1/p" "$RUN/pki/tokens.csv")"
  spawn "kubelet-$1" unshare --uts sh -c "hostname $1 && exec nsenter --net=/run/netns/$PREFIX-$1 $K8S_BIN/kubelet \
    --config=$k/config.yaml --kubeconfig=$k/kubeconfig --root-dir=$k/root --cert-dir=$k/pki \
    --container-runtime=remote --container-runtime-endpoint=unix://$(ctd_dir "$1")/containerd.sock \
    --hostname-override=$1 --node-ip=$2 --v=1"
}

# true once every scenario pod is Running (and Ready unless the scenario says "ready": false).
kubelet_pods_running() {
  local want; want=$(jq '.pods | length' "$SCENARIO")
  api GET '/api/v1/pods?labelSelector=kubepath.dev/lab-pod' | jq -e --argjson want "$want" '
    [.items[] | select(.status.phase == "Running" and .status.podIP != null
      and ((.metadata.annotations["kubepath.dev/ready"] == "false") or
           any(.status.conditions[]?; .type == "Ready" and .status == "True")))] | length == $want' >/dev/null
}

# Writes $RUN/pods.tsv: "<ns>\t<pod>\t<pid>\t<netns>\t<host veth>" for every scenario pod, the app
# container's PID found through the node's containerd, the netns name the CRI plugin made.
discover_kubelet_pods() {
  local node id info pid ns pod cname netns idx veth
  : >"$RUN/pods.tsv"
  for node in $(jq -r '.nodes[].name' "$SCENARIO"); do
    while read -r id pid _; do
      info=$(ctr_node "$node" containers info "$id" 2>/dev/null) || continue
      cname=$(jq -r '.Labels["io.kubernetes.container.name"] // empty' <<<"$info")
      [ -n "$cname" ] && [ "$cname" != POD ] || continue
      ns=$(jq -r '.Labels["io.kubernetes.pod.namespace"]' <<<"$info"); pod=$(jq -r '.Labels["io.kubernetes.pod.name"]' <<<"$info")
      netns=$(ip netns identify "$pid" 2>/dev/null | head -1) || true
      idx=$(nsenter -t "$pid" -n ip -o link show eth0 2>/dev/null | sed -n 's/.*eth0@if\([0-9]*\):.*/\1/p') || true
      veth=
      [ -z "$idx" ] || veth=$(ip -n "$PREFIX-$node" -o link show | sed -n "s/^$idx: \([^@:]*\).*/\1/p") || true
      printf '%s\t%s\t%s\t%s\t%s\n' "$ns" "$pod" "$pid" "$netns" "$veth" >>"$RUN/pods.tsv"
    done < <(ctr_node "$node" tasks ls 2>/dev/null | awk 'NR > 1 && $3 == "RUNNING"')
  done
}

# Teardown part for kubelet nodes (called by lab_down before the recorded PIDs are ended): stop the
# kubelets first (so nothing is restarted), kill every container through each node's containerd,
# then, once the daemons are gone, unmount what they left: the CRI netns of the sandboxes, rootfs and
# volume mounts under the run dir.
kubelet_down() {
  local f pid sock id
  for f in "$RUN"/pids/kubelet-*.pid; do [ -e "$f" ] && { kill -KILL "$(cat "$f")" 2>/dev/null || true; }; done
  for sock in "$RUN"/nodes/*/containerd/containerd.sock; do
    [ -S "$sock" ] || continue
    local C=(ctr -a "$sock" -n k8s.io)
    for id in $("${C[@]}" tasks ls -q 2>/dev/null); do "${C[@]}" tasks kill -s KILL "$id" >/dev/null 2>&1 || true; done
    # The shims outlive containerd (they are reparented); each names its containerd's socket.
    for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $sock" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  done
  RUN_KUBELET_NETNS=$(cat "$RUN"/nodes/*/cni-ipam/netns.list 2>/dev/null | sort -u | grep '^/') || true
}

# After every process is gone: mounts the kubelet nodes left behind.
kubelet_unmount() {
  local m p
  for p in ${RUN_KUBELET_NETNS:-}; do umount "$p" 2>/dev/null || true; rm -f "$p"; done
  # Deepest first; -l because a dying shim may still hold one for a moment.
  for m in $(awk -v r="$RUN/" 'index($5, r) == 1 {print $5}' /proc/self/mountinfo | sort -r); do umount -l "$m" 2>/dev/null || true; done
}
