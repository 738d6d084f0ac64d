/**
 * Reshapes `kubectl get services|endpointslices|pods -A -o json` output (a v1 List, or a single
 * object) into lib/model/k8s types. Small and DNS-focused: only the fields DNS answers depend on.
 * EndpointSlices may be discovery.k8s.io/v1 (`conditions.ready`, `hostname`) or v1beta1
 * (same fields, `topology` instead of `nodeName`).
 */
import type { EndpointSliceModel, PodModel, ServiceModel } from '@/lib/model/k8s';

/** Thrown for input that is not the expected kubectl JSON; names the file and what is wrong. */
export class K8sJsonError extends Error {
  constructor(
    readonly source: string,
    reason: string,
  ) {
    super(`${source}: ${reason}`);
    this.name = 'K8sJsonError';
  }
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function items(text: string, source: string, kind: string): Obj[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new K8sJsonError(
      source,
      `not JSON (${(e as Error).message}); expected "kubectl get ${kind.toLowerCase()}s -A -o json" output`,
    );
  }
  if (!doc || typeof doc !== 'object') throw new K8sJsonError(source, 'expected a JSON object');
  const d = doc as Obj;
  const list: unknown[] = Array.isArray(d.items) ? d.items : d.kind === kind ? [d] : [];
  if (!Array.isArray(d.items) && d.kind !== kind)
    throw new K8sJsonError(source, `expected a List of ${kind} (kind is ${JSON.stringify(d.kind)})`);
  list.forEach((o, i) => {
    if (!o || typeof o !== 'object') throw new K8sJsonError(source, `items[${i}] is not an object`);
    const it = o as Obj;
    if (it.kind && it.kind !== kind) throw new K8sJsonError(source, `items[${i}] is a ${it.kind}, expected ${kind}`);
    if (!it.metadata?.name) throw new K8sJsonError(source, `items[${i}] has no metadata.name`);
  });
  return list as Obj[];
}

export function servicesFromJson(text: string, source = 'services'): ServiceModel[] {
  return items(text, source, 'Service').map((o) => {
    const s = o.spec ?? {};
    const clusterIPs: string[] = s.clusterIPs ?? (s.clusterIP ? [s.clusterIP] : []);
    return {
      namespace: o.metadata.namespace ?? 'default',
      name: o.metadata.name,
      uid: o.metadata.uid,
      type: s.type ?? 'ClusterIP',
      clusterIPs,
      ports: (s.ports ?? []).map((p: Obj) => ({
        name: p.name,
        protocol: p.protocol ?? 'TCP',
        port: p.port,
        targetPort: p.targetPort,
        nodePort: p.nodePort,
      })),
      externalIPs: s.externalIPs ?? [],
      loadBalancerIPs: (o.status?.loadBalancer?.ingress ?? []).map((i: Obj) => i.ip).filter(Boolean),
      loadBalancerSourceRanges: s.loadBalancerSourceRanges ?? [],
      externalName: s.externalName,
      selector: s.selector,
      labels: o.metadata.labels,
    };
  });
}

export function endpointSlicesFromJson(text: string, source = 'endpointslices'): EndpointSliceModel[] {
  return items(text, source, 'EndpointSlice').map((o) => ({
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name,
    service: o.metadata.labels?.['kubernetes.io/service-name'] ?? '',
    addressType: o.addressType ?? 'IPv4',
    ports: (o.ports ?? []).map((p: Obj) => ({
      name: p.name || undefined,
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    })),
    endpoints: (o.endpoints ?? []).map((e: Obj) => ({
      addresses: e.addresses ?? [],
      // A nil ready condition means ready (EndpointSlice API contract, also what CoreDNS does).
      ready: e.conditions?.ready !== false,
      serving: e.conditions?.serving ?? e.conditions?.ready !== false,
      terminating: e.conditions?.terminating === true,
      nodeName: e.nodeName ?? e.topology?.['kubernetes.io/hostname'],
      hostname: e.hostname,
      targetRef: e.targetRef
        ? { kind: e.targetRef.kind, namespace: e.targetRef.namespace, name: e.targetRef.name, uid: e.targetRef.uid }
        : undefined,
    })),
    apiVersion: o.apiVersion === 'discovery.k8s.io/v1beta1' ? 'discovery.k8s.io/v1beta1' : 'discovery.k8s.io/v1',
  }));
}

export function podsFromJson(text: string, source = 'pods'): PodModel[] {
  return items(text, source, 'Pod').map((o) => {
    const s = o.spec ?? {};
    const st = o.status ?? {};
    const podIPs: string[] = (st.podIPs ?? []).map((p: Obj) => p.ip).filter(Boolean);
    if (podIPs.length === 0 && st.podIP) podIPs.push(st.podIP);
    return {
      namespace: o.metadata.namespace ?? 'default',
      name: o.metadata.name,
      uid: o.metadata.uid,
      nodeName: s.nodeName,
      podIPs,
      hostIP: st.hostIP,
      phase: st.phase,
      ready: (st.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True'),
      hostNetwork: s.hostNetwork === true,
      dnsPolicy: s.dnsPolicy,
      dnsConfig: s.dnsConfig,
      labels: o.metadata.labels,
      hostname: s.hostname,
      subdomain: s.subdomain,
    };
  });
}
