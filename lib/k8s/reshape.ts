/**
 * The boundary: @kubernetes/client-node V1* objects become lib/model/k8s.ts plain data here and
 * nowhere else. Unknown enum values are mapped conservatively (e.g. an unknown protocol → TCP is
 * NOT done; the port is kept with its text so the UI can flag it).
 */
import type { V1EndpointSlice, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import type { EndpointModel, EndpointSliceModel, NodeModel, PodModel, ServiceModel } from '@/lib/model/k8s';

type Proto = 'TCP' | 'UDP' | 'SCTP';
const proto = (p?: string): Proto => (p === 'UDP' || p === 'SCTP' ? p : 'TCP'); // the API defaults protocol to TCP

export function toServiceModel(s: V1Service): ServiceModel {
  const spec = s.spec ?? {};
  const clusterIPs = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return {
    namespace: s.metadata?.namespace ?? 'default',
    name: s.metadata?.name ?? '',
    uid: s.metadata?.uid,
    type: (spec.type as ServiceModel['type']) ?? 'ClusterIP',
    clusterIPs,
    ports: (spec.ports ?? []).map((p) => ({
      name: p.name || undefined,
      protocol: proto(p.protocol),
      port: p.port,
      targetPort: p.targetPort as number | string | undefined,
      nodePort: p.nodePort,
    })),
    externalIPs: spec.externalIPs ?? [],
    loadBalancerIPs: (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter(Boolean),
    loadBalancerSourceRanges: spec.loadBalancerSourceRanges ?? [],
    externalTrafficPolicy: spec.externalTrafficPolicy as ServiceModel['externalTrafficPolicy'],
    internalTrafficPolicy: spec.internalTrafficPolicy as ServiceModel['internalTrafficPolicy'],
    sessionAffinity: spec.sessionAffinity as ServiceModel['sessionAffinity'],
    sessionAffinityTimeout: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds,
    healthCheckNodePort: spec.healthCheckNodePort,
    externalName: spec.externalName,
    selector: spec.selector,
    labels: s.metadata?.labels,
  };
}

export function toPodModel(p: V1Pod): PodModel {
  const ips = p.status?.podIPs?.map((i) => i.ip).filter(Boolean) as string[] | undefined;
  return {
    namespace: p.metadata?.namespace ?? 'default',
    name: p.metadata?.name ?? '',
    uid: p.metadata?.uid,
    nodeName: p.spec?.nodeName,
    podIPs: ips?.length ? ips : p.status?.podIP ? [p.status.podIP] : [],
    hostIP: p.status?.hostIP,
    phase: p.status?.phase,
    ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    hostNetwork: !!p.spec?.hostNetwork,
    dnsPolicy: p.spec?.dnsPolicy as PodModel['dnsPolicy'],
    dnsConfig: p.spec?.dnsConfig
      ? {
          nameservers: p.spec.dnsConfig.nameservers,
          searches: p.spec.dnsConfig.searches,
          options: p.spec.dnsConfig.options?.map((o) => ({ name: o.name ?? '', value: o.value })),
        }
      : undefined,
    labels: p.metadata?.labels,
    hostname: p.spec?.hostname,
    subdomain: p.spec?.subdomain,
  };
}

export function toNodeModel(n: V1Node): NodeModel {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  const cidrs = n.spec?.podCIDRs?.length ? n.spec.podCIDRs : n.spec?.podCIDR ? [n.spec.podCIDR] : [];
  return {
    name: n.metadata?.name ?? '',
    addresses: (n.status?.addresses ?? []).map((a) => ({ type: a.type, address: a.address })),
    podCIDRs: cidrs,
    ready: ready ? ready.status === 'True' : undefined,
    labels: n.metadata?.labels,
  };
}

/** v1beta1 endpoints carry `topology` (hostname) where v1 has `nodeName`; conditions are the same. */
interface BetaEndpoint {
  addresses?: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  nodeName?: string;
  hostname?: string;
  topology?: Record<string, string>;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string };
}

function toEndpoint(e: BetaEndpoint): EndpointModel {
  // Per the API: a nil `ready` means ready; nil `serving` follows ready; nil `terminating` is false.
  const ready = e.conditions?.ready ?? true;
  return {
    addresses: e.addresses ?? [],
    ready,
    serving: e.conditions?.serving ?? ready,
    terminating: e.conditions?.terminating ?? false,
    nodeName: e.nodeName ?? e.topology?.['kubernetes.io/hostname'],
    hostname: e.hostname,
    targetRef: e.targetRef?.name
      ? { kind: e.targetRef.kind ?? '', namespace: e.targetRef.namespace, name: e.targetRef.name, uid: e.targetRef.uid }
      : undefined,
  };
}

export function toEndpointSliceModel(
  es: V1EndpointSlice,
  apiVersion: EndpointSliceModel['apiVersion'],
): EndpointSliceModel {
  return {
    namespace: es.metadata?.namespace ?? 'default',
    name: es.metadata?.name ?? '',
    service: es.metadata?.labels?.['kubernetes.io/service-name'] ?? '',
    addressType: es.addressType as EndpointSliceModel['addressType'],
    ports: (es.ports ?? []).map((p) => ({ name: p.name || undefined, port: p.port ?? 0, protocol: proto(p.protocol) })),
    endpoints: (es.endpoints ?? []).map((e) => toEndpoint(e as BetaEndpoint)),
    apiVersion,
  };
}
