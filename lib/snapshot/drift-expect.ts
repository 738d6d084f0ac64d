/**
 * What the API says each node's kube-proxy should have programmed, per service port: the chain
 * suffix (§1.2 hashing) and the endpoints (ip:port) in the Cluster pool and, for
 * internalTrafficPolicy=Local, the node-local pool.
 */
import type { ApiObjects, EndpointModel, EndpointSliceModel, ServiceModel } from '@/lib/model/k8s';
import { servicePortHash, servicePortName } from './chain-names';

export interface ExpectedEndpoint {
  ip: string;
  port: number;
  nodeName?: string;
  podName?: string;
}

export interface ExpectedServicePort {
  spn: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  hash: string;
  clusterIPs: string[];
  internalLocal: boolean;
  /** Endpoints kube-proxy load-balances over (ready; else serving+terminating, as in 1.22+). */
  endpoints: ExpectedEndpoint[];
}

/** Cluster pool per docs/kube-proxy-semantics.md §1.3: ready endpoints, falling back to serving+terminating ones. */
function pool(eps: EndpointModel[]): EndpointModel[] {
  const ready = eps.filter((e) => e.ready);
  return ready.length ? ready : eps.filter((e) => e.serving && e.terminating);
}

/** Service ports that get kube-proxy rules: not headless, not ExternalName. */
export function expectedServicePorts(api: ApiObjects): ExpectedServicePort[] {
  const out: ExpectedServicePort[] = [];
  // Slices by Service, once: a filter per Service was quadratic (10k Services: ~11 s).
  const byService = new Map<string, EndpointSliceModel[]>();
  for (const es of api.endpointSlices) {
    if (es.addressType === 'FQDN') continue;
    const k = `${es.namespace}/${es.service}`;
    const list = byService.get(k);
    if (list) list.push(es);
    else byService.set(k, [es]);
  }
  for (const svc of api.services) {
    if (!hasRules(svc)) continue;
    const slices = byService.get(`${svc.namespace}/${svc.name}`) ?? [];
    for (const port of svc.ports) {
      const eps: ExpectedEndpoint[] = [];
      for (const es of slices) {
        // EndpointSlice ports are matched to the Service port by name (and protocol).
        const esPort = es.ports.find((p) => (p.name ?? '') === (port.name ?? '') && p.protocol === port.protocol);
        if (!esPort) continue;
        for (const e of pool(es.endpoints)) {
          for (const ip of e.addresses)
            eps.push({
              ip,
              port: esPort.port,
              nodeName: e.nodeName,
              podName: e.targetRef?.kind === 'Pod' ? e.targetRef.name : undefined,
            });
        }
      }
      const spn = servicePortName(svc.namespace, svc.name, port.name);
      out.push({
        spn,
        protocol: port.protocol,
        hash: servicePortHash(spn, port.protocol),
        clusterIPs: svc.clusterIPs,
        internalLocal: svc.internalTrafficPolicy === 'Local',
        endpoints: dedupe(eps),
      });
    }
  }
  return out;
}

function hasRules(svc: ServiceModel): boolean {
  return svc.type !== 'ExternalName' && svc.clusterIPs.length > 0 && svc.clusterIPs[0] !== 'None';
}

function dedupe(eps: ExpectedEndpoint[]): ExpectedEndpoint[] {
  const seen = new Map<string, ExpectedEndpoint>();
  for (const e of eps) seen.set(`${e.ip}:${e.port}`, seen.get(`${e.ip}:${e.port}`) ?? e);
  return [...seen.values()];
}

export const endpointKey = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
