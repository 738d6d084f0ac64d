/**
 * What kube-proxy reads before it writes anything: Services and their EndpointSlices, reduced to
 * one KubeServicePort per Service port (the writer's input, model.ts). Headless and ExternalName
 * Services get no entry (§1.3). Endpoints keep their slice order and their ready / serving /
 * terminating flags; the writer picks the pools. Used by the demo and the UI bench, and by the
 * IPVS-mode text (ipvs.ts) through the same Service list.
 */
import { isIPv6 } from '@/lib/net/ip';
import type { ApiObjects, ServiceModel, ServicePortModel } from '@/lib/model/k8s';
import type { Protocol } from '@/lib/model/trace';
import type { KubeEndpoint, KubeServicePort } from '@/testkit/kube-proxy-writer/model';

/** The Service's ClusterIP of this family, or undefined for headless / ExternalName / other family. */
export function clusterIPOf(s: ServiceModel, family: 4 | 6 = 4): string | undefined {
  if (s.type === 'ExternalName') return undefined;
  return s.clusterIPs.find((ip) => ip !== 'None' && isIPv6(ip) === (family === 6));
}

/** Endpoints of one Service port: every address in the Service's slices of this family whose ports name it. */
export function endpointsOf(api: ApiObjects, s: ServiceModel, p: ServicePortModel, family: 4 | 6 = 4): KubeEndpoint[] {
  const out: KubeEndpoint[] = [];
  const addressType = family === 6 ? 'IPv6' : 'IPv4';
  for (const es of api.endpointSlices) {
    if (es.namespace !== s.namespace || es.service !== s.name || es.addressType !== addressType) continue;
    const port = es.ports.find((x) => (x.name ?? '') === (p.name ?? '') && x.protocol === p.protocol)?.port;
    if (port === undefined) continue;
    for (const e of es.endpoints) {
      out.push({
        ip: e.addresses[0],
        port,
        node: e.nodeName,
        ready: e.ready,
        serving: e.serving,
        terminating: e.terminating,
      });
    }
  }
  return out;
}

/** Every Service port kube-proxy would program, in API order. */
export function servicePortsFromApi(api: ApiObjects, family: 4 | 6 = 4): KubeServicePort[] {
  const out: KubeServicePort[] = [];
  for (const s of api.services) {
    const clusterIP = clusterIPOf(s, family);
    if (!clusterIP) continue;
    const sameFamily = (ip: string): boolean => isIPv6(ip) === (family === 6);
    for (const p of s.ports) {
      out.push({
        ns: s.namespace,
        name: s.name,
        portName: p.name || undefined,
        proto: p.protocol.toLowerCase() as Protocol,
        port: p.port,
        clusterIP,
        nodePort: p.nodePort || undefined,
        externalIPs: s.externalIPs.filter(sameFamily),
        lbIPs: s.loadBalancerIPs.filter(sameFamily),
        sourceRanges: s.loadBalancerSourceRanges,
        etp: s.externalTrafficPolicy,
        itp: s.internalTrafficPolicy,
        affinitySeconds: s.sessionAffinity === 'ClientIP' ? (s.sessionAffinityTimeout ?? 10800) : undefined,
        healthCheckNodePort: s.healthCheckNodePort,
        endpoints: endpointsOf(api, s, p, family),
      });
    }
  }
  return out;
}
