/**
 * The provisional demo cluster: Kubernetes API objects for three nodes and every Service shape,
 * including broken ones. scripts/demo/capture-provisional.ts turns this into real kernel state
 * (network namespaces + iptables-restore) and reads it back with the real tools.
 */
import type { ApiObjects, EndpointModel, EndpointSliceModel, PodModel, ServiceModel } from '@/lib/model/k8s';

export interface DemoNode {
  name: string;
  ip: string;
  podCidr: string;
  /** Collected normally, or simulated as unreachable (no netns; the snapshot records the error). */
  reachable: boolean;
}

export const demoNodes: DemoNode[] = [
  { name: 'node-a', ip: '192.168.50.11', podCidr: '10.244.1.0/24', reachable: true },
  { name: 'node-b', ip: '192.168.50.12', podCidr: '10.244.2.0/24', reachable: true },
  { name: 'node-c', ip: '192.168.50.13', podCidr: '10.244.3.0/24', reachable: false },
];

export const clusterCidr = '10.244.0.0/16';

const pods: PodModel[] = [];
function pod(
  namespace: string,
  name: string,
  node: string,
  ip: string,
  labels: Record<string, string>,
  ready = true,
): PodModel {
  const p: PodModel = {
    namespace,
    name,
    nodeName: node,
    podIPs: [ip],
    hostIP: demoNodes.find((n) => n.name === node)!.ip,
    phase: 'Running',
    ready,
    hostNetwork: false,
    dnsPolicy: 'ClusterFirst',
    labels,
  };
  pods.push(p);
  return p;
}

function ep(p: PodModel, state: Partial<Pick<EndpointModel, 'ready' | 'serving' | 'terminating'>> = {}): EndpointModel {
  return {
    addresses: [p.podIPs[0]],
    ready: state.ready ?? true,
    serving: state.serving ?? true,
    terminating: state.terminating ?? false,
    nodeName: p.nodeName,
    targetRef: { kind: 'Pod', namespace: p.namespace, name: p.name },
  };
}

const services: ServiceModel[] = [];
const slices: EndpointSliceModel[] = [];
function svc(
  s: Partial<ServiceModel> & Pick<ServiceModel, 'namespace' | 'name' | 'ports'>,
  endpoints: EndpointModel[],
  targetPorts: Record<string, number> = {},
): void {
  services.push({
    type: 'ClusterIP',
    clusterIPs: [],
    externalIPs: [],
    loadBalancerIPs: [],
    loadBalancerSourceRanges: [],
    sessionAffinity: 'None',
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    ...s,
  });
  if (s.type === 'ExternalName') return;
  slices.push({
    namespace: s.namespace,
    name: `${s.name}-abc12`,
    service: s.name,
    addressType: 'IPv4',
    apiVersion: 'discovery.k8s.io/v1',
    ports: s.ports.map((p) => ({
      name: p.name,
      protocol: p.protocol,
      port: targetPorts[p.name ?? ''] ?? (typeof p.targetPort === 'number' ? p.targetPort : p.port),
    })),
    endpoints,
  });
}

const web = [
  pod('default', 'web-7d4b9c-x2x4q', 'node-a', '10.244.1.10', { app: 'web' }),
  pod('default', 'web-7d4b9c-k8z7w', 'node-a', '10.244.1.11', { app: 'web' }),
  pod('default', 'web-7d4b9c-p9m2d', 'node-b', '10.244.2.10', { app: 'web' }),
];
svc(
  {
    namespace: 'default',
    name: 'web',
    clusterIPs: ['10.96.10.10'],
    selector: { app: 'web' },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
  },
  web.map((p) => ep(p)),
);

const dns = [
  pod('kube-system', 'coredns-5d78c9869d-4xkzp', 'node-a', '10.244.1.2', { 'k8s-app': 'kube-dns' }),
  pod('kube-system', 'coredns-5d78c9869d-t7wql', 'node-b', '10.244.2.2', { 'k8s-app': 'kube-dns' }),
];
svc(
  {
    namespace: 'kube-system',
    name: 'kube-dns',
    clusterIPs: ['10.96.0.10'],
    selector: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
      { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
    ],
  },
  dns.map((p) => ep(p)),
);

const fe = [
  pod('shop', 'frontend-6c9f8-abcde', 'node-a', '10.244.1.20', { app: 'frontend' }),
  pod('shop', 'frontend-6c9f8-fghij', 'node-b', '10.244.2.20', { app: 'frontend' }),
];
svc(
  {
    namespace: 'shop',
    name: 'frontend',
    type: 'NodePort',
    clusterIPs: ['10.96.20.20'],
    selector: { app: 'frontend' },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 3000, nodePort: 30080 }],
  },
  fe.map((p) => ep(p)),
);

const co = [pod('shop', 'checkout-59d7b-qrstu', 'node-a', '10.244.1.30', { app: 'checkout' })];
svc(
  {
    namespace: 'shop',
    name: 'checkout',
    type: 'LoadBalancer',
    clusterIPs: ['10.96.20.30'],
    loadBalancerIPs: ['203.0.113.10'],
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 32000,
    selector: { app: 'checkout' },
    ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 8443, nodePort: 31443 }],
  },
  co.map((p) => ep(p)),
);

const pay = [
  pod('shop', 'payments-7f8b-vwxyz', 'node-b', '10.244.2.30', { app: 'payments' }),
  pod('shop', 'payments-7f8b-mnopq', 'node-a', '10.244.1.31', { app: 'payments' }),
];
svc(
  {
    namespace: 'shop',
    name: 'payments',
    type: 'LoadBalancer',
    clusterIPs: ['10.96.20.40'],
    loadBalancerIPs: ['203.0.113.20'],
    loadBalancerSourceRanges: ['198.51.100.0/24'],
    sessionAffinity: 'ClientIP',
    sessionAffinityTimeout: 10800,
    selector: { app: 'payments' },
    ports: [{ name: 'grpc', protocol: 'TCP', port: 50051, targetPort: 50051, nodePort: 30551 }],
  },
  pay.map((p) => ep(p)),
);

svc(
  {
    namespace: 'default',
    name: 'legacy-billing',
    clusterIPs: ['10.96.30.30'],
    selector: { app: 'legacy-billing' },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
  },
  [],
);

const rep = [pod('default', 'reports-0', 'node-b', '10.244.2.40', { app: 'reports' })];
svc(
  {
    namespace: 'default',
    name: 'reports',
    clusterIPs: ['10.96.30.40'],
    externalIPs: ['192.0.2.50'],
    selector: { app: 'reports' },
    ports: [{ protocol: 'TCP', port: 8080, targetPort: 8080 }],
  },
  rep.map((p) => ep(p)),
);

const metrics = [pod('monitoring', 'node-metrics-a', 'node-a', '10.244.1.40', { app: 'node-metrics' })];
svc(
  {
    namespace: 'monitoring',
    name: 'node-metrics',
    clusterIPs: ['10.96.40.10'],
    internalTrafficPolicy: 'Local',
    selector: { app: 'node-metrics' },
    ports: [{ name: 'metrics', protocol: 'TCP', port: 9100, targetPort: 9100 }],
  },
  metrics.map((p) => ep(p)),
);

const drain = [
  pod('default', 'cart-0', 'node-a', '10.244.1.50', { app: 'cart' }, false),
  pod('default', 'cart-1', 'node-b', '10.244.2.50', { app: 'cart' }, false),
];
svc(
  {
    namespace: 'default',
    name: 'cart',
    clusterIPs: ['10.96.30.50'],
    selector: { app: 'cart' },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
  },
  [
    ep(drain[0], { ready: false, serving: true, terminating: true }),
    ep(drain[1], { ready: false, serving: false, terminating: true }),
  ],
);

/** Drift: node-b's kube-proxy is stale and still holds the old endpoint 10.244.2.61 for this Service. */
const inv = [
  pod('default', 'inventory-1', 'node-a', '10.244.1.60', { app: 'inventory' }),
  pod('default', 'inventory-2', 'node-b', '10.244.2.60', { app: 'inventory' }),
];
svc(
  {
    namespace: 'default',
    name: 'inventory',
    clusterIPs: ['10.96.30.60'],
    selector: { app: 'inventory' },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
  },
  inv.map((p) => ep(p)),
);
export const staleEndpoints: Record<string, Record<string, string[]>> = {
  'node-b': { 'default/inventory': ['10.244.1.60', '10.244.2.61'] },
};

const batch: PodModel[] = [];
for (let i = 0; i < 24; i++)
  batch.push(
    pod('batch', `worker-${i}`, i % 2 ? 'node-b' : 'node-a', `10.244.${i % 2 ? 2 : 1}.${100 + i}`, { app: 'worker' }),
  );
svc(
  {
    namespace: 'batch',
    name: 'workers',
    clusterIPs: ['10.96.50.10'],
    selector: { app: 'worker' },
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
  },
  batch.map((p) => ep(p)),
);

svc(
  {
    namespace: 'default',
    name: 'db-headless',
    clusterIPs: ['None'],
    selector: { app: 'db' },
    ports: [{ protocol: 'TCP', port: 5432, targetPort: 5432 }],
  },
  [],
);
svc(
  {
    namespace: 'default',
    name: 'external-db',
    type: 'ExternalName',
    externalName: 'db.example.com',
    ports: [{ protocol: 'TCP', port: 5432 }],
  },
  [],
);

export const demoApi: ApiObjects = {
  services,
  endpointSlices: slices,
  pods,
  nodes: demoNodes.map((n) => ({
    name: n.name,
    addresses: [{ type: 'InternalIP', address: n.ip }],
    podCIDRs: [n.podCidr],
    ready: n.reachable,
  })),
  notes: [],
};
