/**
 * Read-only views derived from a ClusterSnapshot for the console: overview, the Service list and
 * the pod-by-IP lookup. Pure functions over plain data (memoised per snapshot by the caller).
 */
import 'server-only';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { EndpointSliceModel, ServiceModel } from '@/lib/model/k8s';
import type { PodRef } from '@/lib/model/graph';
import type { ServiceSummary, Overview } from '@/lib/model/cluster';

export function slicesFor(snap: ClusterSnapshot, s: { namespace: string; name: string }): EndpointSliceModel[] {
  return (snap.api?.endpointSlices ?? []).filter((es) => es.namespace === s.namespace && es.service === s.name);
}

function endpointCounts(slices: EndpointSliceModel[]): { ready: number; total: number } {
  let ready = 0,
    total = 0;
  for (const es of slices)
    for (const e of es.endpoints) {
      total++;
      if (e.ready) ready++;
    }
  return { ready, total };
}

export function serviceSummaries(snap: ClusterSnapshot): ServiceSummary[] {
  const slicesByService = new Map<string, EndpointSliceModel[]>();
  for (const es of snap.api?.endpointSlices ?? []) {
    const k = `${es.namespace}/${es.service}`;
    slicesByService.set(k, [...(slicesByService.get(k) ?? []), es]);
  }
  return (snap.api?.services ?? []).map((s) => {
    const key = `${s.namespace}/${s.name}`;
    const { ready, total } = endpointCounts(slicesByService.get(key) ?? []);
    const routable = s.type !== 'ExternalName' && s.clusterIPs[0] !== undefined && s.clusterIPs[0] !== 'None';
    return {
      key,
      namespace: s.namespace,
      name: s.name,
      type: s.type,
      clusterIP: s.type === 'ExternalName' ? (s.externalName ?? '') : (s.clusterIPs[0] ?? ''),
      ports: s.ports.map((p) => `${p.port}/${p.protocol}`).join(', '),
      ready,
      total,
      noReady: routable && ready === 0,
      trace:
        routable && s.ports[0]
          ? { port: s.ports[0].port, proto: s.ports[0].protocol.toLowerCase() as 'tcp' }
          : undefined,
    };
  });
}

export function overview(snap: ClusterSnapshot): Overview {
  const services = serviceSummaries(snap);
  return {
    cluster: snap.cluster.name,
    capturedAt: snap.capturedAt,
    description: snap.description,
    nodes: snap.nodes.map((n) => ({
      name: n.name,
      via: n.via,
      capturedAt: n.capturedAt,
      proxyMode: n.proxyMode ?? 'unknown',
      error: n.error,
      warnings: n.warnings ?? [],
      captureKinds: Object.keys(n.captures),
      podNetns: n.pods?.length ?? 0,
    })),
    services: services.length,
    endpoints: services.reduce((a, s) => a + s.total, 0),
    readyEndpoints: services.reduce((a, s) => a + s.ready, 0),
    servicesWithoutReady: services.filter((s) => s.noReady).length,
    apiNotes: snap.api?.notes ?? [],
  };
}

/** Endpoint/pod IP → pod identity, so graphs name the pods they reach. */
export function podsByIp(snap: ClusterSnapshot): Record<string, PodRef> {
  const out: Record<string, PodRef> = {};
  for (const p of snap.api?.pods ?? [])
    for (const ip of p.podIPs) if (!p.hostNetwork) out[ip] = { namespace: p.namespace, name: p.name, node: p.nodeName };
  for (const es of snap.api?.endpointSlices ?? []) {
    for (const e of es.endpoints) {
      if (e.targetRef?.kind !== 'Pod') continue;
      for (const ip of e.addresses)
        out[ip] ??= { namespace: e.targetRef.namespace ?? es.namespace, name: e.targetRef.name, node: e.nodeName };
    }
  }
  return out;
}

export function findService(snap: ClusterSnapshot, namespace: string, name: string): ServiceModel | undefined {
  return snap.api?.services.find((s) => s.namespace === namespace && s.name === name);
}
