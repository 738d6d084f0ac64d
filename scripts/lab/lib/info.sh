# Writes $RUN/lab.json, the LabInfo that scripts/lab/cluster.ts returns (documented in README.md),
# and prints the human summary. Sourced by lab.sh.

write_lab_info() {
  local services nodes pods pids veths
  services=$(api GET /api/v1/services | jq '[.items[] | {ns:.metadata.namespace, name:.metadata.name, type:.spec.type,
    clusterIP:(.spec.clusterIP // null), ports:[(.spec.ports // [])[] | {name, protocol, port, targetPort, nodePort}],
    externalIPs:(.spec.externalIPs // []), loadBalancerIPs:[(.status.loadBalancer.ingress // [])[] | .ip],
    loadBalancerSourceRanges:(.spec.loadBalancerSourceRanges // []),
    externalTrafficPolicy:(.spec.externalTrafficPolicy // null), sessionAffinity:(.spec.sessionAffinity // null),
    healthCheckNodePort:(.spec.healthCheckNodePort // null), externalName:(.spec.externalName // null)}]')
  # Every recorded PID, as {"<process name>": pid}, so one jq run can place them.
  pids=$(for f in "$RUN"/pids/*.pid; do printf '%s\t%s\n' "$(basename "$f" .pid)" "$(cat "$f")"; done \
    | jq -R -s 'split("\n") | map(select(. != "") | split("\t") | {(.[0]): (.[1] | tonumber)}) | add')
  nodes=$(jq -c --arg net "$NET" --arg prefix "$PREFIX" --arg run "$RUN" --argjson pids "$pids" '[.nodes[] |
    {name, netns:($prefix + "-" + .name), sshHost:($net + "." + (.hostOctet|tostring)), sshPort:22, sshUser:"root",
     underlayIP:($net + "." + (.hostOctet|tostring)), podCIDR,
     cniConfDir:($run + "/nodes/" + .name + "/etc/cni/net.d"), resolvConf:($run + "/nodes/" + .name + "/etc/resolv.conf"),
     kubeProxyPid:$pids["kube-proxy-" + .name], kubeProxyLog:($run + "/logs/kube-proxy-" + .name + ".log"),
     sshdPid:$pids["sshd-" + .name], hostFirewall:(.hostFirewall // null)}
    # kubelet mode only
    + (if $pids["kubelet-" + .name] then {kubeletPid:$pids["kubelet-" + .name], kubeletLog:($run + "/logs/kubelet-" + .name + ".log"),
        containerdPid:$pids["containerd-" + .name], containerdSocket:($run + "/nodes/" + .name + "/containerd/containerd.sock")} else {} end)]' "$SCENARIO")
  # Host-side veth names are computed by cali_name (sha1), which jq cannot do.
  veths=$(jq -r '.pods[] | [.ns, .name] | @tsv' "$SCENARIO" | while IFS=$'\t' read -r ns name; do
    printf '%s/%s\t%s\n' "$ns" "$name" "$(cali_name "$ns" "$name")"; done \
    | jq -R -s 'split("\n") | map(select(. != "") | split("\t") | {(.[0]): .[1]}) | add')
  # Kubelet mode: the app container's PID, the CRI plugin's netns name and the bridge port, as
  # discover_kubelet_pods found them; the resolv.conf is the one kubelet wrote, seen from the pod.
  local kpods='{}'
  [ "${KUBELET_MODE:-0}" = 1 ] && kpods=$(jq -R -s 'split("\n") | map(select(. != "") | split("\t")
    | {(.[0] + "/" + .[1]): {pid: (.[2] | tonumber), netns: .[3], hostVeth: .[4]}}) | add // {}' "$RUN/pods.tsv")
  pods=$(jq -c --arg prefix "$PREFIX" --arg run "$RUN" --argjson pids "$pids" --argjson veths "$veths" --argjson k "$kpods" '[.pods[] |
    (.ns + "/" + .name) as $key |
    {ns, name, ip, node, pid:($k[$key].pid // $pids["pod-" + .ns + "-" + .name]), netns:($k[$key].netns // ($prefix + "-p-" + .ns + "-" + .name)), labels,
     dnsPolicy:(.dnsPolicy // "ClusterFirst"), role:(.role // "app"), ready:(.ready != false), hostVeth:($k[$key].hostVeth // $veths[.ns + "/" + .name]),
     resolvConf:(if $k[$key] then "/proc/\($k[$key].pid)/root/etc/resolv.conf" else $run + "/pods/" + .ns + "/" + .name + "/resolv.conf" end),
     httpPorts:(if .role == "dns" then [] else [8080, 9090] end), udpPorts:(if .role == "dns" then [53] else [9000] end)}]' "$SCENARIO")
  jq -n --arg run "$RUN" --arg prefix "$PREFIX" --arg token "$ADMIN_TOKEN" --arg url "$APISERVER" \
    --arg net "$NET" --arg root "$ROOT_IP" --arg ext "$EXT_IP" --arg link "$ROOT_LINK" \
    --arg dnsip "$DNS_SERVICE_IP" --arg domain "$CLUSTER_DOMAIN" --arg up "$(elapsed)" \
    --argjson nodes "$nodes" --argjson pods "$pods" --argjson services "$services" \
    --argjson pids "$pids" --arg kubelet "${KUBELET_MODE:-0}" \
    --slurpfile sc "$SCENARIO" '{
    runDir:$run, prefix:$prefix, kubeconfig:($run + "/kubeconfig"), adminToken:$token, apiserverURL:$url,
    caFile:($run + "/pki/apiserver.crt"), identityFile:($run + "/ssh/id_ed25519"), knownHostsFile:($run + "/ssh/known_hosts"),
    kubernetesVersion:"v1.20.2", mode:(if $kubelet == "1" then "kubelet" else "netns" end),
    underlay:{cidr:($net + ".0/24"), rootIP:$root, gatewayIP:$ext, gatewayNetns:($prefix + "-ext"), rootLink:$link},
    clusterCIDR:$sc[0].clusterCIDR, serviceCIDR:$sc[0].serviceCIDR,
    nodes:$nodes, pods:$pods, services:$services,
    dns:{serviceIP:$dnsip, clusterDomain:$domain, upstreamIP:$ext,
      serverPod:($pods | map(select(.role == "dns"))[0] | {ns, name, ip, pid}),
      queryLog:($run + "/dns/cluster-queries.log"), upstreamQueryLog:($run + "/dns/upstream-queries.log"),
      hostsDir:($run + "/dns/hosts"), configFile:($run + "/dns/cluster.conf"), upstreamRecords:$sc[0].upstreamRecords},
    demoCases:[
      {kind:"no-endpoints", service:"default/no-endpoints"},
      {kind:"etp-local-no-local-endpoint", service:"default/local-only", node:"node-2"},
      {kind:"host-firewall-drop", node:"node-2", pod:"default/api-1", port:9090, service:"default/api-metrics"},
      {kind:"dns-wrong-nameserver", pod:"default/legacy-client", nameserver:$ext,
       why:"dnsPolicy Default: the pod resolves via the node resolver (upstream), not kube-dns"}],
    internalTrafficPolicy:{supported:false, why:"Kubernetes v1.20 has no spec.internalTrafficPolicy (alpha only from v1.21)"},
    processes:{etcd:$pids.etcd, kubeApiserver:$pids["kube-apiserver"], kubeControllerManager:$pids["kube-controller-manager"],
      dnsSync:$pids["dns-sync"], upstreamDns:$pids["dns-upstream"]},
    startupSeconds:($up | tonumber)}' >"$RUN/lab.json"
}

print_summary() {
  cat >&2 <<MSG

kubepath lab is up in $(elapsed)s   (run dir: $RUN)
  export KUBECONFIG=$RUN/kubeconfig        # kubectl get pods -A -o wide  (kubectl 1.32 warns about skew; harmless)
  apiserver:   $APISERVER   token: $RUN/admin.token   CA: $RUN/pki/apiserver.crt
$(jq -r --arg run "$RUN" '.nodes[] | "  ssh -F \($run)/ssh/config \(.name)    # root@\(.sshHost), pods \(.podCIDR)"' "$RUN/lab.json")
  identity:    $RUN/ssh/id_ed25519
  known_hosts: $RUN/ssh/known_hosts
  LabInfo:     $RUN/lab.json
  DNS:         kube-dns $DNS_SERVICE_IP -> $(jq -r .dns.serverPod.ip "$RUN/lab.json"); queries logged in $RUN/dns/cluster-queries.log
  a pod shell: nsenter -t \$(jq -r '.pods[] | select(.name=="client") | .pid' $RUN/lab.json) -n -m -u sh
MSG
}
