/**
 * LabInfo: what `scripts/lab/lab.sh up` writes to `<runDir>/lab.json` and `startLab()` returns.
 * Plain JSON data; every path is absolute. Documented for other engineers in scripts/lab/README.md.
 */

/** One lab node: a network namespace running the real kube-proxy and a real sshd. */
export interface LabNode {
  /** Kubernetes Node name, also the node's UTS hostname (what `ssh … hostname` prints). */
  name: string;
  /** The node's network namespace (`ip netns exec <netns> …`). */
  netns: string;
  sshHost: string;
  sshPort: number;
  sshUser: string;
  underlayIP: string;
  podCIDR: string;
  /** The node's `/etc/cni/net.d` equivalent (holds 10-calico.conflist). */
  cniConfDir: string;
  /** The node's resolv.conf (the upstream DNS); also bind-mounted on /etc/resolv.conf for sshd sessions. */
  resolvConf: string;
  kubeProxyPid: number;
  kubeProxyLog: string;
  sshdPid: number;
  /** The host firewall rule lab.sh inserted at the head of filter FORWARD on this node, if any. */
  hostFirewall: { pod: string; port: number; comment: string } | null;
  /** Kubelet mode only: the node's kubelet and containerd (`ctr -a <containerdSocket> -n k8s.io ...`). */
  kubeletPid?: number;
  kubeletLog?: string;
  containerdPid?: number;
  containerdSocket?: string;
}

/**
 * One lab pod: a network namespace plus a real server process in its own mount + UTS namespace (in
 * kubelet mode: a real pod, `pid` its app container's process, `netns` the CRI plugin's netns name).
 */
export interface LabPod {
  ns: string;
  name: string;
  ip: string;
  node: string;
  /** PID of the "container" process; `/proc/<pid>/root/etc/resolv.conf` is the pod's resolv.conf. */
  pid: number;
  netns: string;
  labels: Record<string, string>;
  dnsPolicy: 'ClusterFirst' | 'Default';
  /** `app` pods run podserver (podserver.c, static musl); the `dns` pod runs dnsmasq (the cluster DNS). */
  role: 'app' | 'dns';
  /** False for a pod reported Running but not Ready (readiness not passed): a not-ready endpoint. */
  ready: boolean;
  /** Host-side veth in the node netns, named as Calico names it (cali + 11 hex). */
  hostVeth: string;
  /** The file bind-mounted onto the pod's /etc/resolv.conf. */
  resolvConf: string;
  httpPorts: number[];
  udpPorts: number[];
}

/** A Service as the apiserver returned it after creation (nodePorts and healthCheckNodePort filled in). */
export interface LabService {
  ns: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIP: string | null;
  ports: { name?: string; protocol: 'TCP' | 'UDP'; port: number; targetPort?: number | string; nodePort?: number }[];
  externalIPs: string[];
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  externalTrafficPolicy: 'Cluster' | 'Local' | null;
  sessionAffinity: 'None' | 'ClientIP' | null;
  healthCheckNodePort: number | null;
  externalName: string | null;
}

/** The broken cases the demo snapshot is meant to show. */
export type LabDemoCase =
  | { kind: 'no-endpoints'; service: string }
  | { kind: 'etp-local-no-local-endpoint'; service: string; node: string }
  | { kind: 'host-firewall-drop'; node: string; pod: string; port: number; service: string }
  | { kind: 'dns-wrong-nameserver'; pod: string; nameserver: string; why: string }
  /** Added by capture-demo (stale-proxy.ts), not by `lab.sh up`: kube-proxy on `node` stopped, then the API changed. */
  | { kind: 'stale-kube-proxy'; node: string; service: string; deletedPods: string[]; readiedPods: string[] };

export interface LabInfo {
  runDir: string;
  /** Unique per run; prefixes every namespace (`<prefix>-node-1`, `<prefix>-p-default-web-1`). */
  prefix: string;
  kubeconfig: string;
  adminToken: string;
  apiserverURL: string;
  /** CA bundle for the apiserver's self-signed serving certificate. */
  caFile: string;
  identityFile: string;
  knownHostsFile: string;
  kubernetesVersion: string;
  /** 'kubelet': pods run by real kubelets on containerd + runc (`lab.sh up --kubelet`); 'netns': lab-made pod namespaces. */
  mode?: 'kubelet' | 'netns';
  /** gatewayNetns is the "outside world" (nodes' default gateway, upstream DNS): a client outside the cluster. */
  underlay: { cidr: string; rootIP: string; gatewayIP: string; gatewayNetns: string; rootLink: string };
  clusterCIDR: string;
  serviceCIDR: string;
  nodes: LabNode[];
  pods: LabPod[];
  services: LabService[];
  dns: {
    serviceIP: string;
    clusterDomain: string;
    upstreamIP: string;
    serverPod: { ns: string; name: string; ip: string; pid: number };
    /** dnsmasq `log-queries=extra` logs: every query glibc sends, in order, with its client ip/port. */
    queryLog: string;
    upstreamQueryLog: string;
    hostsDir: string;
    configFile: string;
    upstreamRecords: Record<string, string>;
  };
  demoCases: LabDemoCase[];
  internalTrafficPolicy: { supported: boolean; why: string };
  processes: {
    etcd: number;
    kubeApiserver: number;
    kubeControllerManager: number;
    dnsSync: number;
    upstreamDns: number;
  };
  startupSeconds: number;
  /** Set by startLab() when it returned an already running lab (KUBEPATH_LAB_INFO); stopLab() leaves it alone. */
  reused?: boolean;
}
