/**
 * Picks the e2e questions from whichever snapshot the console serves (the captured demo, the
 * provisional one, or KUBEPATH_SNAPSHOT), so the tests follow the data instead of hard-coding it.
 * Expected answers always come from the CLI, never from here.
 */
import { readFileSync } from 'node:fs';
import type { ClusterSnapshot } from '../lib/model/snapshot';
import type { EndpointModel, ServiceModel } from '../lib/model/k8s';
import { computeDrift } from '../lib/snapshot/drift';
import { servedSnapshotPath } from './cli';
import type { DriftFinding } from '../lib/model/drift';

export interface Question {
  node: string;
  src: string;
  dst: string;
  port: number;
  proto: string;
}

const snap = JSON.parse(readFileSync(servedSnapshotPath(), 'utf8')) as ClusterSnapshot;
const api = snap.api!;
export const reachable = snap.nodes.filter((n) => !n.error).map((n) => n.name);
export const unreachable = snap.nodes.find((n) => n.error);
export const OUTSIDE = '198.51.100.7';

/** A pod on `node` with an address (a source for "Trace this ClusterIP"). */
export function podOn(node: string) {
  const p = api.pods.find((x) => x.nodeName === node && !x.hostNetwork && x.podIPs[0]);
  if (!p) throw new Error(`no pod on ${node} in the served snapshot`);
  return p;
}

export function nodeIp(node: string): string | undefined {
  return api.nodes.find((n) => n.name === node)?.addresses.find((a) => a.type === 'InternalIP')?.address;
}
const endpoints = (s: ServiceModel): EndpointModel[] =>
  api.endpointSlices
    .filter((es) => es.namespace === s.namespace && es.service === s.name)
    .flatMap((es) => es.endpoints);
const ready = (s: ServiceModel) => endpoints(s).filter((e) => e.ready);
const routable = (s: ServiceModel) =>
  s.type !== 'ExternalName' && !!s.clusterIPs[0] && s.clusterIPs[0] !== 'None' && s.ports.length > 0;
const q = (node: string, src: string, dst: string, port: number, proto: string): Question => ({
  node,
  src,
  dst,
  port,
  proto: proto.toLowerCase(),
});

/** A ClusterIP Service with at least two ready endpoints, traced from the first collected node. */
export const clusterIp = (() => {
  const s = api.services.find(
    (x) =>
      x.type === 'ClusterIP' &&
      routable(x) &&
      ready(x).length >= 2 &&
      x.internalTrafficPolicy !== 'Local' &&
      x.ports[0].protocol === 'TCP',
  );
  return s && { service: s, key: `${s.namespace}/${s.name}` };
})();

/** A NodePort (ETP=Cluster) with ready endpoints, from an outside address to a collected node's IP. */
export const nodePort = (() => {
  const s = api.services.find(
    (x) => routable(x) && x.ports[0].nodePort && x.externalTrafficPolicy !== 'Local' && ready(x).length > 0,
  );
  const node = reachable.find((n) => nodeIp(n));
  return s && node ? q(node, OUTSIDE, nodeIp(node)!, s.ports[0].nodePort!, s.ports[0].protocol) : undefined;
})();

/**
 * Host firewall candidates: a filter rule that DROPs traffic to one endpoint `-d IP/32 --dport N`,
 * asked from another pod on the same node to that endpoint's Service ClusterIP. Found by reading the
 * node's rule text; whether it really DROPs is again left to the CLI.
 */
const hostFirewallDrops: { question: Question; other?: string }[] = reachable.flatMap((node) => {
  const rules = snap.nodes.find((n) => n.name === node)?.captures['iptables-save']?.stdout ?? '';
  const pods = api.pods.filter((p) => p.nodeName === node && !p.hostNetwork && p.podIPs[0]);
  return [
    ...rules.matchAll(/-A (?:FORWARD|INPUT|OUTPUT) -d ([0-9.]+)\/32 -p (tcp|udp) .*--dport (\d+).* -j DROP/g),
  ].flatMap(([, ip, proto, port]) => {
    const owner = api.endpointSlices.find(
      (es) => es.endpoints.some((e) => e.addresses.includes(ip)) && es.ports.some((p) => p.port === Number(port)),
    );
    const svc =
      owner && api.services.find((x) => x.namespace === owner.namespace && x.name === owner.service && routable(x));
    const sp = svc?.ports.find(
      (p) => p.protocol.toLowerCase() === proto && (p.targetPort === Number(port) || p.port === Number(port)),
    );
    const src = pods.find((p) => p.podIPs[0] !== ip)?.podIPs[0];
    return svc && sp && src ? [{ question: q(node, src, svc.clusterIPs[0], sp.port, proto) }] : [];
  });
});

/**
 * Candidates for a DROP: ETP=Local Services asked on a collected node that holds no local endpoint
 * (NodePort first, then LB / external IPs). Which of them really DROPs depends on the node's rules
 * (kube-proxy 1.20 relies on kubelet's KUBE-MARK-DROP), so the test asks the CLI which one does.
 */
export const dropCandidates: { question: Question; other?: string }[] = [
  ...api.services
    .filter((x) => routable(x) && x.externalTrafficPolicy === 'Local' && ready(x).length > 0)
    .flatMap((s) =>
      reachable
        .filter((n) => !ready(s).some((e) => e.nodeName === n) && nodeIp(n))
        .flatMap((node) => {
          const other = reachable.find((n) => ready(s).some((e) => e.nodeName === n));
          const p = s.ports[0];
          return [
            ...(p.nodePort ? [q(node, OUTSIDE, nodeIp(node)!, p.nodePort, p.protocol)] : []),
            ...[...s.loadBalancerIPs, ...s.externalIPs].map((ip) => q(node, OUTSIDE, ip, p.port, p.protocol)),
          ].map((question) => ({ question, other }));
        }),
    ),
  ...hostFirewallDrops,
];

/** A Service with a ClusterIP and no endpoints at all: REJECT. */
export const reject = (() => {
  const s = api.services.find((x) => routable(x) && endpoints(x).length === 0);
  return s && reachable[0]
    ? q(reachable[0], nodeIp(reachable[0]) ?? '10.0.0.1', s.clusterIPs[0], s.ports[0].port, s.ports[0].protocol)
    : undefined;
})();

/** A Service whose endpoint fan-out is large enough to collapse (> 12 ready endpoints). */
export const fanOut = (() => {
  const s = api.services.find((x) => routable(x) && x.internalTrafficPolicy !== 'Local' && ready(x).length > 12);
  return s && reachable[0]
    ? {
        question: q(
          reachable[0],
          nodeIp(reachable[0]) ?? '10.0.0.1',
          s.clusterIPs[0],
          s.ports[0].port,
          s.ports[0].protocol,
        ),
        count: ready(s).length,
      }
    : undefined;
})();

/**
 * API-vs-node drift as lib/snapshot/drift reports it (rule level): the first Service port whose
 * endpoints differ from a node's rules, the nodes that differ, the checked nodes that agree, and
 * the report's findings for that Service (the service page lists exactly these).
 */
export const drift = (() => {
  const report = computeDrift(snap);
  const endpointKinds = ['missing-endpoint', 'stale-endpoint', 'stale-pod'];
  const first = report.findings.find((f) => endpointKinds.includes(f.kind) && f.service);
  if (!first) return undefined;
  const spn = first.service!;
  const key = spn.slice(0, spn.lastIndexOf(':'));
  const portName = spn.slice(spn.lastIndexOf(':') + 1);
  const service = api.services.find((x) => `${x.namespace}/${x.name}` === key)!;
  const port = service.ports.find((p) => (p.name ?? '') === portName)!;
  const findings = report.findings.filter((f) => f.service === key || f.service?.startsWith(`${key}:`));
  const onPort = (node: string, kinds: string[]) =>
    findings
      .filter((f) => f.node === node && f.service === spn && kinds.includes(f.kind))
      .map((f) => f.endpoint!)
      .sort();
  const drifted = [
    ...new Set(findings.filter((f) => endpointKinds.includes(f.kind) && f.service === spn).map((f) => f.node)),
  ].map((node) => ({
    node,
    missing: onPort(node, ['missing-endpoint']),
    stale: onPort(node, ['stale-endpoint', 'stale-pod']),
  }));
  const inSync = report.checkedNodes.filter((n) => !drifted.some((d) => d.node === n));
  const portLabel = `${port.name ? `${port.name} ` : ''}${port.port}/${port.protocol}`;
  return { key, spn, portLabel, drifted, inSync, findings: findings as DriftFinding[] };
})();

/** A collected node with pod netns captures, for the node view. */
export const nodeWithPods = snap.nodes.find((n) => !n.error && (n.pods?.length ?? 0) > 0 && n.pods?.[0].pod);

export const toParams = (x: Question) => new URLSearchParams({ ...x, port: String(x.port) }).toString();
