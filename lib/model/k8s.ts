/** kubepath's own view of the Kubernetes objects it reads. `@kubernetes/client-node` types stop in lib/k8s. */

export interface ServicePortModel {
  name?: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface ServiceModel {
  namespace: string;
  name: string;
  uid?: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIPs: string[]; // empty or ['None'] for headless
  ports: ServicePortModel[];
  externalIPs: string[];
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  externalTrafficPolicy?: 'Cluster' | 'Local';
  internalTrafficPolicy?: 'Cluster' | 'Local';
  sessionAffinity?: 'None' | 'ClientIP';
  sessionAffinityTimeout?: number;
  healthCheckNodePort?: number;
  externalName?: string;
  selector?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface EndpointModel {
  addresses: string[];
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  hostname?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string };
}

export interface EndpointSliceModel {
  namespace: string;
  name: string;
  service: string; // kubernetes.io/service-name
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  ports: { name?: string; port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[];
  endpoints: EndpointModel[];
  apiVersion: 'discovery.k8s.io/v1' | 'discovery.k8s.io/v1beta1';
}

export interface PodModel {
  namespace: string;
  name: string;
  uid?: string;
  nodeName?: string;
  podIPs: string[];
  hostIP?: string;
  phase?: string;
  ready: boolean;
  hostNetwork: boolean;
  dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
  labels?: Record<string, string>;
  hostname?: string;
  subdomain?: string;
}

export interface NodeModel {
  name: string;
  addresses: { type: string; address: string }[];
  podCIDRs: string[];
  ready?: boolean;
  labels?: Record<string, string>;
}

export interface ApiObjects {
  services: ServiceModel[];
  endpointSlices: EndpointSliceModel[];
  pods: PodModel[];
  nodes: NodeModel[];
  /** Corefile text from the coredns ConfigMap, if readable. */
  corefile?: string;
  /** kube-proxy ConfigMap `config.conf` text, if readable. */
  kubeProxyConfig?: string;
  /** Resources that could not be read (e.g. RBAC forbidden), with the reason. */
  notes: { resource: string; reason: string }[];
}
