/**
 * Picks the e2e questions from whichever snapshot the console serves (the captured demo, the
 * provisional one, or KUBEPATH_SNAPSHOT), so the tests follow the data instead of hard-coding it.
 * Expected answers always come from the CLI, never from here.
 */
import { readFileSync } from 'node:fs';
import type { ClusterSnapshot } from '../lib/model/snapshot';
import type { EndpointModel, ServiceModel } from '../lib/model/k8s';
import { servedSnapshotPath } from './cli';

export interface Question { node: string; src: string; dst: string; port: number; proto: string }

const snap = JSON.parse(readFileSync(servedSnapshotPath(), 'utf8')) as ClusterSnapshot;
const api = snap.api!;
export const reachable = snap.nodes.filter((n) => !n.error).map((n) => n.name);
export const unreachable = snap.nodes.find((n) => n.error);
export const OUTSIDE = '198.51.100.7';

export function nodeIp(node: string): string | undefined {
  return api.nodes.find((n) => n.name === node)?.addresses.find((a) => a.type === 'InternalIP')?.address;
}
const endpoints = (s: ServiceModel): EndpointModel[] => api.endpointSlices.filter((es) => es.namespace === s.namespace && es.service === s.name).flatMap((es) => es.endpoints);
const ready = (s: ServiceModel) => endpoints(s).filter((e) => e.ready);
const routable = (s: ServiceModel) => s.type !== 'ExternalName' && !!s.clusterIPs[0] && s.clusterIPs[0] !== 'None' && s.ports.length > 0;
const q = (node: string, src: string, dst: string, port: number, proto: string): Question => ({ node, src, dst, port, proto: proto.toLowerCase() });

/** A ClusterIP Service with at least two ready endpoints, traced from the first collected node. */
export const clusterIp = (() => {
  const s = api.services.find((x) => x.type === 'ClusterIP' && routable(x) && ready(x).length >= 2 && x.internalTrafficPolicy !== 'Local' && x.ports[0].protocol === 'TCP');
  return s && { service: s, key: `${s.namespace}/${s.name}` };
})();

/** A NodePort (ETP=Cluster) with ready endpoints, from an outside address to a collected node's IP. */
export const nodePort = (() => {
  const s = api.services.find((x) => routable(x) && x.ports[0].nodePort && x.externalTrafficPolicy !== 'Local' && ready(x).length > 0);
  const node = reachable.find((n) => nodeIp(n));
  return s && node ? q(node, OUTSIDE, nodeIp(node)!, s.ports[0].nodePort!, s.ports[0].protocol) : undefined;
})();

/** ETP=Local with a collected node holding no local endpoint: kube-proxy DROPs external traffic there. */
export const drop = (() => {
  for (const s of api.services.filter((x) => routable(x) && x.externalTrafficPolicy === 'Local' && ready(x).length > 0)) {
    const node = reachable.find((n) => !ready(s).some((e) => e.nodeName === n) && nodeIp(n));
    if (!node) continue;
    const dst = s.loadBalancerIPs[0] ?? s.externalIPs[0];
    if (dst) return { question: q(node, OUTSIDE, dst, s.ports[0].port, s.ports[0].protocol), other: reachable.find((n) => ready(s).some((e) => e.nodeName === n)) };
    if (s.ports[0].nodePort) return { question: q(node, OUTSIDE, nodeIp(node)!, s.ports[0].nodePort, s.ports[0].protocol), other: undefined };
  }
  return undefined;
})();

/** A Service with a ClusterIP and no endpoints at all: REJECT. */
export const reject = (() => {
  const s = api.services.find((x) => routable(x) && endpoints(x).length === 0);
  return s && reachable[0] ? q(reachable[0], nodeIp(reachable[0]) ?? '10.0.0.1', s.clusterIPs[0], s.ports[0].port, s.ports[0].protocol) : undefined;
})();

/** A Service whose endpoint fan-out is large enough to collapse (> 12 ready endpoints). */
export const fanOut = (() => {
  const s = api.services.find((x) => routable(x) && x.internalTrafficPolicy !== 'Local' && ready(x).length > 12);
  return s && reachable[0] ? { question: q(reachable[0], nodeIp(reachable[0]) ?? '10.0.0.1', s.clusterIPs[0], s.ports[0].port, s.ports[0].protocol), count: ready(s).length } : undefined;
})();

/** A collected node with pod netns captures, for the node view. */
export const nodeWithPods = snap.nodes.find((n) => !n.error && (n.pods?.length ?? 0) > 0 && n.pods?.[0].pod);

export const hasService = (key: string) => api.services.some((s) => `${s.namespace}/${s.name}` === key);
export const toParams = (x: Question) => new URLSearchParams({ ...x, port: String(x.port) }).toString();
