/**
 * Kernel-verified questions across nodes: both lab nodes carry kube-proxy-shaped rules (each its
 * own, endpoints local to it marked so), the snapshot is built from what the nodes really hold
 * (iptables-save, ip -j addr, ip -j route of each node, API objects written from the same spec),
 * and the question is asked the way a user asks it: from a pod (or a node, or an outside address
 * with the node it arrives on). Then real connections go out of the sender's namespace and the
 * kernel's answer (which pod answered, with which source; refused; timed out) and its per-node,
 * per-rule counters are compared with the answer, its path and the rules it names.
 */
import type { ClusterSnapshot, NodeCapture } from '@/lib/model/snapshot';
import type { ApiObjects } from '@/lib/model/k8s';
import type { Outcome } from '@/lib/model/trace';
import type { Answer, AnswerReason } from '@/lib/model/answer';
import type { Topology } from '@/testkit/netns/topology';
import { capture } from '@/testkit/snapshot-fixtures';
import { captureIp, flushConntrack, flushNetfilter, loadIptables, saveIptables } from '@/testkit/netns/rules';
import { nsRun } from '@/testkit/netns/exec';
import { probe, type ProbeOutcome } from '@/testkit/netns/probe';
import { hitRules, mapIptablesCounters, type RuleCounter } from '@/testkit/netns/counters';
import { answerQuestion, type QuestionResult } from '@/lib/question/answer-question';
import type { KNode, KService } from './kube-spec';
import { inCidr } from './kube-spec';

export const NODE_NAMES = ['node-1', 'node-2'] as const;

/** A Service as the API has it: endpoints by pod name, or a bare address no pod has (stale rules). */
export interface MService extends Omit<KService, 'ports'> {
  ports: {
    name?: string;
    proto: 'tcp' | 'udp';
    port: number;
    nodePort?: number;
    endpoints: { pod?: string; ip?: string; port: number }[];
  }[];
}

export interface MCase {
  name: string;
  /** 'pod-a' (a pod label), 'node' (node 1 itself) or 'client' (outside; traced on `node`). */
  from: string;
  dst: string;
  port: number;
  /** The node an outside sender's packet arrives on (the console asks for it). */
  node?: string;
  /** Written from the semantics notes: what the answer must be. */
  expect: {
    answer: Answer;
    reason: AnswerReason;
    decidedOn: string;
    nodes: string[];
    pod?: string;
    ruleChain?: string;
    ruleOwner?: string;
  };
  count?: number;
}

export interface Loaded {
  snapshot: ClusterSnapshot;
  /** Plain iptables-save per node (what the snapshot holds; counters map onto its lines). */
  saves: string[];
}

/** The KNode (rules spec) of node `n` (1-based): endpoints on that node are local. */
export function nodeSpec(topo: Topology, services: MService[], n: number): KNode {
  const ip = (e: { pod?: string; ip?: string }) => e.ip ?? topo.pods.find((p) => p.name === e.pod)!.ip;
  return {
    clusterCidr: topo.plan.clusterCidr,
    nodeIPs: [topo.plan.node[n - 1].underlay],
    services: services.map((s) => ({
      ...s,
      ports: s.ports.map((p) => ({
        ...p,
        endpoints: p.endpoints.map((e) => ({
          ip: ip(e),
          port: e.port,
          local: inCidr(ip(e), topo.plan.node[n - 1].podCidr),
        })),
      })),
    })),
  };
}

/** API objects written from the same spec; bare-address endpoints are not in the API (deleted pods). */
export function apiObjects(topo: Topology, services: MService[]): ApiObjects {
  const nodeName = (n: number) => NODE_NAMES[n - 1];
  return {
    services: services.map((s) => ({
      namespace: s.ns,
      name: s.name,
      type: s.ports.some((p) => p.nodePort) ? 'NodePort' : 'ClusterIP',
      clusterIPs: [s.clusterIP],
      ports: s.ports.map((p) => ({
        name: p.name,
        protocol: p.proto.toUpperCase() as 'TCP' | 'UDP',
        port: p.port,
        targetPort: p.endpoints[0]?.port,
        nodePort: p.nodePort,
      })),
      externalIPs: s.externalIPs ?? [],
      loadBalancerIPs: s.lbIPs ?? [],
      loadBalancerSourceRanges: s.sourceRanges ?? [],
      externalTrafficPolicy: s.etp,
      internalTrafficPolicy: s.itp,
    })),
    endpointSlices: services.flatMap((s) =>
      s.ports.map((p, i) => ({
        namespace: s.ns,
        name: `${s.name}-${i}`,
        service: s.name,
        addressType: 'IPv4' as const,
        apiVersion: 'discovery.k8s.io/v1' as const,
        ports: [
          { name: p.name, port: p.endpoints[0]?.port ?? p.port, protocol: p.proto.toUpperCase() as 'TCP' | 'UDP' },
        ],
        endpoints: p.endpoints
          .filter((e) => e.pod)
          .map((e) => {
            const pod = topo.pods.find((x) => x.name === e.pod)!;
            return {
              addresses: [pod.ip],
              ready: true,
              serving: true,
              terminating: false,
              nodeName: nodeName(pod.node),
              targetRef: { kind: 'Pod', namespace: 'default', name: pod.label },
            };
          }),
      })),
    ),
    pods: topo.pods.map((p) => ({
      namespace: 'default',
      name: p.label,
      nodeName: nodeName(p.node),
      podIPs: [p.ip],
      ready: true,
      hostNetwork: false,
    })),
    nodes: [1, 2].map((n) => ({
      name: nodeName(n),
      addresses: [{ type: 'InternalIP', address: topo.plan.node[n - 1].underlay }],
      podCIDRs: [topo.plan.node[n - 1].podCidr],
      ready: true,
    })),
    notes: [],
  };
}

/** Loads each node's rules and builds the snapshot from what the nodes then really hold. */
export async function loadNodes(
  topo: Topology,
  services: MService[],
  rulesFor: (n: number, spec: KNode) => string,
): Promise<Loaded> {
  const nodes: NodeCapture[] = [];
  const saves: string[] = [];
  for (let n = 1; n <= 2; n++) {
    const ns = topo.ns.nodes[n - 1];
    await flushNetfilter(ns);
    await loadIptables(ns, rulesFor(n, nodeSpec(topo, services, n)));
    const save = await saveIptables(ns);
    const ip = await captureIp(ns);
    saves.push(save);
    nodes.push({
      name: NODE_NAMES[n - 1],
      via: 'lab',
      capturedAt: new Date(0).toISOString(),
      proxyMode: 'iptables',
      captures: {
        'iptables-save': capture('iptables-save', save),
        'ip-addr': capture('ip -j addr', ip.addr),
        'ip-route': capture('ip -j route', ip.route),
      },
    });
  }
  const snapshot: ClusterSnapshot = {
    schema: 'kubepath.snapshot/v1',
    cluster: { name: 'kernel-multinode' },
    capturedAt: new Date(0).toISOString(),
    nodes,
    api: apiObjects(topo, services),
  };
  return { snapshot, saves };
}

export interface MReport {
  name: string;
  question: string;
  sentence: string;
  observed: string;
  problems: string[];
  /** Rules real packets hit, per node: `node line table rule (packets)`. */
  hits: string[];
}

function sender(topo: Topology, from: string): { ns: string; src: string; question: string; bind?: string } {
  if (from === 'client')
    return {
      ns: topo.ns.client,
      src: topo.plan.client.underlay,
      question: topo.plan.client.underlay,
      bind: topo.plan.client.underlay,
    };
  if (from === 'node')
    return { ns: topo.ns.nodes[0], src: topo.plan.node[0].underlay, question: `node:${NODE_NAMES[0]}` };
  const pod = topo.podByLabel(from);
  if (!pod) throw new Error(`unknown sender ${from}`);
  return { ns: pod.ns, src: pod.ip, question: `pod:default/${pod.label}` };
}

function observe(outcomes: ProbeOutcome[]): {
  text: string;
  answered: Map<string, number>;
  refused: number;
  timeout: number;
  other: number;
} {
  const answered = new Map<string, number>();
  let refused = 0,
    timeout = 0,
    other = 0;
  for (const o of outcomes) {
    if (o.kind === 'answered') answered.set(`${o.pod}@${o.seenSrc}`, (answered.get(`${o.pod}@${o.seenSrc}`) ?? 0) + 1);
    else if (o.kind === 'refused') refused++;
    else if (o.kind === 'timeout') timeout++;
    else other++;
  }
  const parts = [
    ...[...answered].map(([k, v]) => `${v}× answered by ${k}`),
    ...(refused ? [`${refused}× refused`] : []),
    ...(timeout ? [`${timeout}× timed out`] : []),
    ...(other ? [`${other}× other error`] : []),
  ];
  return { text: parts.join(', '), answered, refused, timeout, other };
}

/** Rule steps (real `-A` lines) a hop's outcome says were taken. */
function ruleSteps(o: { steps: Outcome['steps'] }): { line: number; raw: string }[] {
  return o.steps.filter(
    (s) =>
      s.line > 0 &&
      s.raw.startsWith('-A ') &&
      ['jump', 'goto', 'dnat', 'drop', 'reject', 'accept', 'masquerade', 'mark', 'snat'].includes(s.effect),
  );
}

export async function runMultiCase(topo: Topology, loaded: Loaded, c: MCase): Promise<MReport> {
  const from = sender(topo, c.from);
  for (const ns of topo.ns.nodes) {
    await flushConntrack(ns);
    for (const table of loaded.saves[0].match(/^\*\w+/gm) ?? [])
      await nsRun(ns, 'iptables', ['-t', table.slice(1), '-Z']);
  }
  const problems: string[] = [];
  let r: QuestionResult | undefined;
  try {
    r = answerQuestion(loaded.snapshot, { src: from.question, dst: c.dst, port: c.port, proto: 'tcp', node: c.node });
  } catch (e) {
    problems.push(`answerQuestion threw: ${(e as Error).stack}`);
  }
  const count = c.count ?? 8;
  const obs = observe(
    await probe(from.ns, { proto: 'tcp', host: c.dst, port: c.port, count, localAddress: from.bind }),
  );
  const counters: RuleCounter[][] = [];
  for (let n = 0; n < 2; n++)
    counters.push(mapIptablesCounters(loaded.saves[n], await saveIptables(topo.ns.nodes[n], true)));
  const hits = counters.flatMap((cs, n) =>
    hitRules(cs).map((h) => `${NODE_NAMES[n]} ${h.line} ${h.table} ${h.rule} (${h.packets})`),
  );
  const report: MReport = {
    name: c.name,
    question: `${from.question} → ${c.dst}:${c.port}${c.node ? ` on ${c.node}` : ''}`,
    sentence: '',
    observed: obs.text,
    problems,
    hits,
  };
  if (!r) return report;
  if (r.outcomes.length !== 1) {
    problems.push(
      `expected one outcome, the answer has ${r.outcomes.length}: ${r.outcomes.map((o) => o.sentence).join(' | ')}${r.sentence ?? ''}`,
    );
    return report;
  }
  const o = r.outcomes[0];
  const d = o.detail!;
  report.sentence = o.sentence ?? '';
  // 1. The answer is the one the semantics notes predict (checks the lab and the rules writer too).
  // A ruleChain ending in '-' is a prefix (kube-proxy's hashed chain names: KUBE-XLB-…).
  const chain = d.rule?.chain;
  const chainWant = c.expect.ruleChain;
  const chainGot = chainWant?.endsWith('-') && chain?.startsWith(chainWant) ? chainWant : chain;
  const got: Record<string, unknown> = {
    answer: o.answer,
    reason: d.reason,
    decidedOn: d.node,
    nodes: d.nodes,
    pod: d.pod?.name,
    ruleChain: chainGot,
    ruleOwner: d.rule?.owner,
  };
  const want: Record<string, unknown> = {
    pod: undefined,
    ruleChain: got.ruleChain,
    ruleOwner: got.ruleOwner,
    ...c.expect,
  };
  for (const k of Object.keys(want)) {
    if (JSON.stringify(got[k]) !== JSON.stringify(want[k]))
      problems.push(`answer ${k}: got ${JSON.stringify(got[k])}, expected ${JSON.stringify(want[k])}`);
  }
  // 2. The kernel did what the answer says.
  const lastHop = [...r.path].reverse().find((h) => h.outcomes.includes(0))!;
  if (o.answer === 'delivered') {
    const key = `${d.pod?.name}@${lastHop.arrives.src}`;
    if (obs.answered.get(key) !== count)
      problems.push(
        `kernel: expected all ${count} connections answered by ${key} (the pod, with the source the last node sees), got ${obs.text}`,
      );
  } else if (obs.answered.size) problems.push(`kernel: the answer is "${o.answer}" but a pod answered: ${obs.text}`);
  if (o.answer === 'dropped' && obs.timeout !== count)
    problems.push(`kernel: dropped means every connection times out, got ${obs.text}`);
  if (o.answer === 'rejected' && obs.refused !== count)
    problems.push(`kernel: rejected means every connection is refused, got ${obs.text}`);
  // 3. The rule the answer names really saw the packets, on the node it names.
  if (d.rule?.line) {
    const n = NODE_NAMES.indexOf(d.rule.node as (typeof NODE_NAMES)[number]);
    const hit = counters[n]?.find((x) => x.line === d.rule!.line);
    if (!hit?.packets)
      problems.push(`kernel: the named rule ${d.rule.node} line ${d.rule.line} (${d.rule.raw}) saw no packet`);
  }
  // 4. The path: every rule a hop says was taken was hit on that node; nodes off the path saw nothing.
  for (const hop of r.path.filter((h) => h.outcomes.includes(0) && h.collected)) {
    const n = NODE_NAMES.indexOf(hop.node as (typeof NODE_NAMES)[number]);
    for (const s of ruleSteps(hop))
      if (!counters[n].find((x) => x.line === s.line)?.packets)
        problems.push(`kernel: ${hop.node} line ${s.line} is on the traced path but saw no packet: ${s.raw}`);
  }
  // Which nodes the connections crossed, from the nat table: it sees only the first packet of each
  // NEW connection, so late ICMP errors of an earlier case (a neighbour that never answered, seconds
  // later, INVALID once conntrack is flushed) cannot count as this case's traffic.
  for (let n = 0; n < 2; n++) {
    const onPath = d.nodes.includes(NODE_NAMES[n]);
    const nat = hitRules(counters[n]).filter((h) => h.table === 'nat');
    if (onPath && !nat.length)
      problems.push(`kernel: ${NODE_NAMES[n]} is on the traced path but its nat table saw no new connection`);
    if (!onPath && nat.length)
      problems.push(
        `kernel: ${NODE_NAMES[n]} is not on the traced path but its nat table saw new connections: ${nat.map((h) => h.line).join(', ')}`,
      );
  }
  return report;
}

export function describeMReport(r: MReport): string {
  return [
    `case: ${r.name}`,
    `question: ${r.question}`,
    `answer: ${r.sentence}`,
    `kernel: ${r.observed}`,
    ...r.problems,
    'rules hit:',
    ...r.hits.map((h) => `  ${h}`),
  ].join('\n');
}
