/**
 * The question-level answer: "does DST:PORT answer from SRC?" The source decides the first node
 * (a different node is a what-if, said in `warnings`), the packet is followed across the nodes it
 * crosses (walk.ts), and every outcome gets one verdict and one sentence. The result is the
 * tracer's TraceResult, extended (contract: outcomes keep verdict/to/probability/masquerade/steps
 * exactly as the first node's trace gives them; `answer`, `sentence`, `detail` and `path` are added).
 */
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { Outcome, Packet, Protocol, TraceResult } from '@/lib/model/trace';
import type { OutcomeAnswer, PathHop } from '@/lib/model/answer';
import type { TraceInputs } from '@/lib/model/trace-inputs';
import { nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
import { computeDrift } from '@/lib/snapshot/drift';
import type { DriftReport } from '@/lib/model/drift';
import { buildInventory, type Inventory } from './inventory';
import { resolveSource, QuestionError, type ResolvedSource } from './source';
import { walk, type Chain } from './walk';
import { classify } from './classify';
import { sentenceOf } from './sentence';

export { QuestionError };

export interface Question {
  /** `pod:NS/NAME`, `node:NAME`, or an IP address (a pod's, a node's, or one outside the cluster). */
  src: string;
  dst: string;
  port: number;
  proto: Protocol;
  sport?: number;
  /** The node the packet is traced on first. Required for an outside address; otherwise a what-if. */
  node?: string;
}

export interface QuestionResult extends TraceResult {
  path: PathHop[];
  source: { label: string; kind: ResolvedSource['kind']; home?: string; node: string; whatIf: boolean };
  /** Set when there is no outcome to carry a sentence (the first node was not collected). */
  sentence?: string;
}

interface Parsed {
  inputs: TraceInputs;
  issues: string[];
}

const parsedCache = new WeakMap<ClusterSnapshot, Map<string, Parsed | null>>();
const driftCache = new WeakMap<ClusterSnapshot, DriftReport>();

/** Parsed inputs of a collected node (cached per snapshot object: parsing dwarfs tracing). */
export function snapshotInputs(snap: ClusterSnapshot, node: string): Parsed | undefined {
  let m = parsedCache.get(snap);
  if (!m) parsedCache.set(snap, (m = new Map()));
  if (!m.has(node)) {
    const n = snap.nodes.find((x) => x.name === node);
    const got = n && !n.error ? nodeTraceInputs(n) : null;
    m.set(node, got && (got.inputs.iptables || got.inputs.nft || got.inputs.ipvs) ? got : null);
  }
  return m.get(node) ?? undefined;
}

function driftOf(snap: ClusterSnapshot): DriftReport {
  let d = driftCache.get(snap);
  if (!d) driftCache.set(snap, (d = computeDrift(snap)));
  return d;
}

/** Group every chain's legs into hops: one per node and per distinct packet/steps, source node first. */
export function pathOf(chains: Chain[]): PathHop[] {
  const hops: { depth: number; hop: PathHop }[] = [];
  const byKey = new Map<unknown, PathHop>();
  chains.forEach((c, i) => {
    c.legs.forEach((leg, depth) => {
      const key = leg.outcome ?? `${leg.node}|${JSON.stringify(leg.arrives)}`;
      let hop = byKey.get(key);
      if (!hop) {
        hop = {
          node: leg.node,
          outcomes: [],
          arrives: leg.arrives,
          steps: leg.outcome?.steps ?? [],
          collected: leg.collected,
        };
        if (leg.via) hop.via = leg.via;
        byKey.set(key, hop);
        hops.push({ depth, hop });
      }
      if (!hop.outcomes.includes(i)) hop.outcomes.push(i);
    });
  });
  return hops.sort((a, b) => a.depth - b.depth).map((h) => h.hop);
}

/** Turn walked chains into outcomes with answer/sentence/detail (shared by the snapshot and per-node forms). */
/** `lagging`: node → the Service ports its drift findings name (nodes whose kube-proxy lags the API). */
export function answeredOutcomes(
  inv: Inventory,
  chains: Chain[],
  lagging: Map<string, Set<string>> = new Map(),
): Outcome[] {
  return chains.map((chain) => {
    const first = chain.legs[0].outcome!;
    const c = classify(inv, chain);
    // A lagging kube-proxy is named where its rules decided this answer: the node that DNATed (or
    // did not), and only when its drift concerns this Service port (or, un-DNATed, any Service).
    const decidedBy = c.dnatLeg?.node ?? (c.rule?.owner === 'kube-proxy' ? c.rule.node : chain.legs[0].node);
    const about = lagging.get(decidedBy);
    const q = chain.legs[0].arrives;
    const owner = c.service ? undefined : (inv.serviceByClusterIp(q.dst) ?? inv.serviceByExternalIp(q.dst));
    const concerns = (spn: string) =>
      c.service
        ? spn === c.service
        : !!owner &&
          (spn === `${owner.namespace}/${owner.name}` || spn.startsWith(`${owner.namespace}/${owner.name}:`));
    const lag = about && c.reason !== 'missing-rules' && [...about].some(concerns) ? [decidedBy] : [];
    const sentence = sentenceOf(c, { share: chains.length > 1 ? chain.probability : undefined, lagging: lag });
    const detail: OutcomeAnswer = { answer: c.answer, sentence, reason: c.reason, nodes: c.nodes };
    if (c.node) detail.node = c.node;
    if (c.rule) detail.rule = c.rule;
    if (c.pod) detail.pod = c.pod;
    const o: Outcome = { ...first, probability: chain.probability, answer: c.answer, sentence, detail };
    return o;
  });
}

const inventoryCache = new WeakMap<ClusterSnapshot, Inventory>();

/** The snapshot's inventory, built once per snapshot object (10k pods: not per question). */
export function snapshotInventory(snap: ClusterSnapshot): Inventory {
  let inv = inventoryCache.get(snap);
  if (!inv) inventoryCache.set(snap, (inv = buildInventory(snap, (n) => snapshotInputs(snap, n)?.inputs)));
  return inv;
}

export interface AnswerOptions {
  /** The caller's drift report for this snapshot, if it has one (else computed once and cached). */
  drift?: DriftReport;
}

export function answerQuestion(snap: ClusterSnapshot, q: Question, opts: AnswerOptions = {}): QuestionResult {
  const inv = snapshotInventory(snap);
  const src = resolveSource(snap, inv, q.src, q.dst);
  const warnings: string[] = [];
  if (!src.home && !q.node)
    throw new QuestionError(
      `the source ${src.ip} is outside the cluster: choose the node the packet arrives on`,
      'invalid-request',
      'node',
    );
  const node = q.node ?? src.home!;
  if (!inv.knows(node))
    throw new QuestionError(
      `unknown node "${node}"; this snapshot has ${snap.nodes.map((n) => n.name).join(', ')}`,
      'not-found',
      'node',
    );
  const whatIf = !!src.home && node !== src.home;
  if (whatIf)
    warnings.push(
      src.kind === 'node'
        ? `what-if: the source is ${src.home} itself; simulating its packet on ${node}`
        : `what-if: ${src.short} runs on ${src.home}; simulating ${node}`,
    );
  const packet: Packet = { src: src.ip, dst: q.dst, port: q.port, proto: q.proto };
  if (q.sport !== undefined) packet.sport = q.sport;
  const chains = walk({ inv, inputsOf: (n) => snapshotInputs(snap, n)?.inputs, question: packet }, node, packet);
  const drift = opts.drift ?? driftOf(snap);
  const lagging = new Map<string, Set<string>>();
  for (const f of drift.findings.filter((x) => x.kind === 'lagging')) {
    lagging.set(f.node, new Set(drift.findings.filter((x) => x.node === f.node && x.service).map((x) => x.service!)));
  }
  const onPath = [...new Set(chains.flatMap((c) => c.legs.map((l) => l.node)))];
  for (const n of onPath) {
    const f = drift.findings.find((x) => x.node === n && x.kind === 'lagging');
    if (f) warnings.push(`${n}: ${f.message}`);
    const cap = snap.nodes.find((x) => x.name === n);
    if (!cap) warnings.push(`${n} is in the API but was not collected: the path stops there`);
    else if (cap.error)
      warnings.push(`${n} was not collected (${cap.error.kind}): ${cap.error.message}; the path stops there`);
    for (const issue of snapshotInputs(snap, n)?.issues.slice(0, 20) ?? []) warnings.push(`${n}: ${issue}`);
  }
  const path = pathOf(chains);
  const firstResult = chains[0]?.legs[0].result;
  const result: QuestionResult = {
    packet,
    node,
    mode: firstResult?.mode ?? 'unknown',
    outcomes: [],
    notes: [...(firstResult?.notes ?? [])],
    warnings: [...warnings, ...(firstResult?.warnings ?? [])],
    path,
    source: { label: src.label, kind: src.kind, home: src.home, node, whatIf },
  };
  if (chains.length === 1 && !chains[0].legs[0].collected) {
    result.sentence = `? not known: ${node} was not collected, so nothing was traced`;
    return result;
  }
  result.outcomes = answeredOutcomes(inv, chains, lagging);
  return result;
}
