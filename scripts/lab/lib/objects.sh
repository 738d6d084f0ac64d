# The lab's API objects (sourced by lab.sh), created through the real apiserver from scenario.json.
# Pods are never run by a kubelet: lab.sh starts their processes itself and then reports them
# through the status subresource (IP, Ready, containerStatuses) as kubelet would, so the real
# endpoint and EndpointSlice controllers, and then the real kube-proxy, do the rest.

# POSTs one object (JSON on stdin) to the collection path $1.
create() { api POST "$1" "$(cat)" >/dev/null; }

create_namespaces_and_accounts() {
  local ns
  for ns in shop; do
    jq -n --arg ns "$ns" '{apiVersion:"v1",kind:"Namespace",metadata:{name:$ns}}' | create /api/v1/namespaces
  done
  # The serviceaccount controller would create these a second or so after it starts; creating
  # them here lets pods be admitted without waiting for it.
  for ns in default kube-system shop; do
    jq -n '{apiVersion:"v1",kind:"ServiceAccount",metadata:{name:"default"}}' \
      | api POST "/api/v1/namespaces/$ns/serviceaccounts" "$(cat)" >/dev/null 2>&1 || true
  done
}

create_nodes() {
  local n name ip
  while read -r n; do
    name=$(jq -r .name <<<"$n"); ip=$NET.$(jq -r .hostOctet <<<"$n")
    jq -n --arg name "$name" --arg cidr "$(jq -r .podCIDR <<<"$n")" '{apiVersion:"v1",kind:"Node",
      metadata:{name:$name,labels:{"kubernetes.io/hostname":$name,"kubernetes.io/os":"linux","kubernetes.io/arch":"amd64"}},
      spec:{podCIDR:$cidr,podCIDRs:[$cidr]}}' | create /api/v1/nodes
    api PATCH "/api/v1/nodes/$name/status" "$(jq -n --arg name "$name" --arg ip "$ip" --arg now "$(date -u +%FT%TZ)" '{status:{
      addresses:[{type:"InternalIP",address:$ip},{type:"Hostname",address:$name}],
      conditions:[{type:"Ready",status:"True",reason:"KubeletReady",message:"kubepath lab node",lastHeartbeatTime:$now,lastTransitionTime:$now}],
      nodeInfo:{machineID:"",systemUUID:"",bootID:"",kernelVersion:"",osImage:"kubepath lab netns",containerRuntimeVersion:"lab://0",
        kubeletVersion:"v1.20.2",kubeProxyVersion:"v1.20.2",operatingSystem:"linux",architecture:"amd64"}}}')" \
      application/merge-patch+json >/dev/null
  done < <(jq -c '.nodes[]' "$SCENARIO")
}

create_coredns_configmap() {
  local corefile
  corefile=$(printf '.:53 {\n    errors\n    health {\n        lameduck 5s\n    }\n    ready\n    kubernetes %s in-addr.arpa ip6.arpa {\n        pods insecure\n        fallthrough in-addr.arpa ip6.arpa\n        ttl 30\n    }\n    prometheus :9153\n    forward . %s {\n        max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n' "$CLUSTER_DOMAIN" "$EXT_IP")
  jq -n --arg c "$corefile" '{apiVersion:"v1",kind:"ConfigMap",metadata:{name:"coredns",namespace:"kube-system"},data:{Corefile:$c}}' \
    | create /api/v1/namespaces/kube-system/configmaps
}

# Runs "$@" once per line of stdin, all in parallel (each line in $LINE); fails if any run failed.
# API writes are independent of each other, and one by one they cost ~50 ms each in process starts.
for_each_parallel() {
  local pids=() pid rc=0
  while read -r LINE; do LINE=$LINE "$@" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  return $rc
}

create_services() { jq -c '.services[]' "$SCENARIO" | for_each_parallel create_service; }

create_service() {
  local s=$LINE ns name
  ns=$(jq -r .metadata.namespace <<<"$s"); name=$(jq -r .metadata.name <<<"$s")
  jq '{apiVersion:"v1",kind:"Service",metadata,spec}' <<<"$s" | create "/api/v1/namespaces/$ns/services"
  # LoadBalancer ingress is status, written by a cloud controller on a real cluster.
  if jq -e .status <<<"$s" >/dev/null; then
    api PATCH "/api/v1/namespaces/$ns/services/$name/status" "$(jq -c '{status}' <<<"$s")" application/merge-patch+json >/dev/null
  fi
}

# $1 pod JSON from the scenario: the Pod object, with the image name saying what really runs.
pod_manifest() {
  jq '{apiVersion:"v1",kind:"Pod",
    metadata:{name:.name,namespace:.ns,labels:.labels},
    spec:{nodeName:.node,automountServiceAccountToken:false,dnsPolicy:(.dnsPolicy // "ClusterFirst"),
      containers:[ if .role == "dns" then
        {name:"coredns",image:"kubepath-lab/dnsmasq:2.90",ports:[{name:"dns",containerPort:53,protocol:"UDP"},{name:"dns-tcp",containerPort:53,protocol:"TCP"}]}
      else
        {name:"app",image:"kubepath-lab/podserver:1",ports:[{name:"http",containerPort:8080},{name:"metrics",containerPort:9090},{name:"echo",containerPort:9000,protocol:"UDP"}]}
      end ]}}' <<<"$1"
}

# $1 pod JSON, $2 host IP: the status kubelet would report for a running, ready container.
pod_status() {
  jq -c --arg host "$2" --arg now "$(date -u +%FT%TZ)" '{status:{phase:"Running",podIP:.ip,podIPs:[{ip:.ip}],hostIP:$host,startTime:$now,
    conditions:([ "Initialized","Ready","ContainersReady","PodScheduled" ] | map({type:.,status:"True",lastTransitionTime:$now})),
    containerStatuses:[{name:(if .role == "dns" then "coredns" else "app" end),ready:true,started:true,restartCount:0,
      image:(if .role == "dns" then "kubepath-lab/dnsmasq:2.90" else "kubepath-lab/podserver:1" end),imageID:"",
      containerID:("lab://" + .ns + "/" + .name),state:{running:{startedAt:$now}}}]}}' <<<"$1"
}

create_pods() {
  jq -c '.nodes as $nodes | .pods[] | . as $p | .hostOctet = ($nodes[] | select(.name == $p.node) | .hostOctet)' "$SCENARIO" \
    | for_each_parallel create_pod
}

create_pod() {
  local p=$LINE ns name
  ns=$(jq -r .ns <<<"$p"); name=$(jq -r .name <<<"$p")
  pod_manifest "$p" | create "/api/v1/namespaces/$ns/pods"
  api PATCH "/api/v1/namespaces/$ns/pods/$name/status" "$(pod_status "$p" "$NET.$(jq -r .hostOctet <<<"$p")")" \
    application/merge-patch+json >/dev/null
}
