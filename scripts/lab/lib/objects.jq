# scenario.json -> one API request per line: {wave, method, path, contentType?, body}.
# Waves: 0 namespaces; 1 ServiceAccounts, Nodes, the coredns ConfigMap, Services; 2 their status
# (Node addresses/Ready, LoadBalancer ingress), Pods; 3 Pod status as kubelet would report it
# (Ready unless the scenario says `"ready": false`).
# Args: $net (underlay /24 prefix, e.g. 172.20.5), $now (RFC 3339), $corefile, $kubelet ("1" in the
# kubelet mode: the pods are run by the nodes' real kubelets from the lab's images, which report
# their status themselves, so waves 2's Node status and 3 are not sent), $dnsdir (the DNS pod's
# config/log directory, a hostPath in the kubelet mode).

def post($wave; $path): {wave: $wave, method: "POST", path: $path, body: .};
def status($wave; $path): {wave: $wave, method: "PATCH", path: $path, contentType: "application/merge-patch+json", body: .};
# $ready false: a container still starting (readiness probe not passed): Running, but Ready and
# ContainersReady False, so the controllers list it as a not-ready endpoint.
def pod_conditions($ready): ["Initialized", "Ready", "ContainersReady", "PodScheduled"]
  | map({type: ., status: (if $ready or (. == "Initialized" or . == "PodScheduled") then "True" else "False" end), lastTransitionTime: $now});
def kubelet_container($p):
  if ($p.role // "app") == "dns" then
    {name: "coredns", image: "kubepath.local/dnsmasq:lab", imagePullPolicy: "Never",
     args: ["-k", "-C", "\($dnsdir)/cluster.conf"], volumeMounts: [{name: "dns", mountPath: $dnsdir}],
     ports: [{name: "dns", containerPort: 53, protocol: "UDP"}, {name: "dns-tcp", containerPort: 53, protocol: "TCP"}]}
  else
    {name: "app", image: "kubepath.local/podserver:lab", imagePullPolicy: "Never", args: [$p.name],
     ports: [{name: "http", containerPort: 8080}, {name: "metrics", containerPort: 9090}, {name: "echo", containerPort: 9000, protocol: "UDP"}]}
    # A starting container: its readiness probe (a port nothing listens on) never passes.
    + (if $p.ready == false then {readinessProbe: {tcpSocket: {port: 7}, periodSeconds: 2}} else {} end)
  end;
def kubelet_pod_spec($p):
  {nodeName: $p.node, automountServiceAccountToken: false, dnsPolicy: ($p.dnsPolicy // "ClusterFirst"),
   terminationGracePeriodSeconds: 1, enableServiceLinks: false, containers: [kubelet_container($p)]}
  + (if ($p.role // "app") == "dns" then {volumes: [{name: "dns", hostPath: {path: $dnsdir, type: "Directory"}}]} else {} end);
def container($role):
  if $role == "dns" then
    {name: "coredns", image: "kubepath-lab/dnsmasq:2.90",
     ports: [{name: "dns", containerPort: 53, protocol: "UDP"}, {name: "dns-tcp", containerPort: 53, protocol: "TCP"}]}
  else
    {name: "app", image: "kubepath-lab/podserver:1",
     ports: [{name: "http", containerPort: 8080}, {name: "metrics", containerPort: 9090}, {name: "echo", containerPort: 9000, protocol: "UDP"}]}
  end;

. as $s
| ([$s.pods[].ns, $s.services[].metadata.namespace] | unique) as $namespaces
| ($namespaces[] | select(. != "default" and . != "kube-system")
    | {apiVersion: "v1", kind: "Namespace", metadata: {name: .}} | post(0; "/api/v1/namespaces")),
  # The serviceaccount controller would create these a second after it starts; creating them here
  # lets Pods pass ServiceAccount admission without waiting for it.
  ($namespaces[] as $ns | {apiVersion: "v1", kind: "ServiceAccount", metadata: {name: "default"}}
    | post(1; "/api/v1/namespaces/\($ns)/serviceaccounts")),
  ($s.nodes[] | {apiVersion: "v1", kind: "Node",
      metadata: {name, labels: {"kubernetes.io/hostname": .name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}},
      spec: {podCIDR, podCIDRs: [.podCIDR]}}
    # kubelet v1.20 panics ("assignment to entry in nil map", reconcileHugePageResource) when it
    # finds its Node already registered without status.capacity; it overwrites these at once.
    + (if $kubelet == "1" then {status: {capacity: {pods: "110"}, allocatable: {pods: "110"}}} else {} end)
    | post(1; "/api/v1/nodes")),
  ({apiVersion: "v1", kind: "ConfigMap", metadata: {name: "coredns", namespace: "kube-system"}, data: {Corefile: $corefile}}
    | post(1; "/api/v1/namespaces/kube-system/configmaps")),
  ($s.services[] | {apiVersion: "v1", kind: "Service", metadata, spec} | post(1; "/api/v1/namespaces/\(.metadata.namespace)/services")),
  ($s.nodes[] | select($kubelet != "1") | . as $n | {status: {
      addresses: [{type: "InternalIP", address: "\($net).\(.hostOctet)"}, {type: "Hostname", address: .name}],
      conditions: [{type: "Ready", status: "True", reason: "KubeletReady", message: "kubepath lab node", lastHeartbeatTime: $now, lastTransitionTime: $now}],
      nodeInfo: {machineID: "", systemUUID: "", bootID: "", kernelVersion: "", osImage: "kubepath lab netns", containerRuntimeVersion: "lab://0",
        kubeletVersion: "v1.20.2", kubeProxyVersion: "v1.20.2", operatingSystem: "linux", architecture: "amd64"}}}
    | status(2; "/api/v1/nodes/\($n.name)/status")),
  # LoadBalancer ingress is status, written by a cloud controller on a real cluster.
  ($s.services[] | select(.status) | . as $svc | {status}
    | status(2; "/api/v1/namespaces/\($svc.metadata.namespace)/services/\($svc.metadata.name)/status")),
  ($s.pods[] | select($kubelet == "1") | . as $p
    | {apiVersion: "v1", kind: "Pod", metadata: {name, namespace: .ns, labels: (.labels + {"kubepath.dev/lab-pod": "true"}),
         annotations: (if .ready == false then {"kubepath.dev/ready": "false"} else {} end)},
       spec: kubelet_pod_spec($p)} | post(2; "/api/v1/namespaces/\(.metadata.namespace)/pods")),
  ($s.pods[] | select($kubelet != "1") | {apiVersion: "v1", kind: "Pod", metadata: {name, namespace: .ns, labels},
      spec: {nodeName: .node, automountServiceAccountToken: false, dnsPolicy: (.dnsPolicy // "ClusterFirst"),
        containers: [container(.role // "app")]}} | post(2; "/api/v1/namespaces/\(.metadata.namespace)/pods")),
  ($s.pods[] | select($kubelet != "1") | . as $p | ($s.nodes[] | select(.name == $p.node) | "\($net).\(.hostOctet)") as $host
    | (container($p.role // "app")) as $c
    | {status: {phase: "Running", podIP: $p.ip, podIPs: [{ip: $p.ip}], hostIP: $host, startTime: $now,
        conditions: pod_conditions($p.ready != false),
        containerStatuses: [{name: $c.name, ready: ($p.ready != false), started: true, restartCount: 0, image: $c.image, imageID: "",
          containerID: "lab://\($p.ns)/\($p.name)", state: {running: {startedAt: $now}}}]}}
    | status(3; "/api/v1/namespaces/\($p.ns)/pods/\($p.name)/status"))
