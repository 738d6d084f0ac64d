/**
 * Compare as a diff: the same question answered on two nodes (or two snapshots) and what differs,
 * per destination the packet is sent to: present on one side only (an endpoint one node's
 * kube-proxy has and the other lacks), a different share, a different answer (delivered here,
 * dropped there), or stale on one side. Outcomes are matched by where they end (the pod after
 * DNAT, else the reason), not by their order.
 */
import type { Outcome, TraceResult } from '@/lib/model/trace';
import { formatEndpoint } from '@/lib/net/ip';

export type DiffKind = 'only-a' | 'only-b' | 'share' | 'answer' | 'stale';

export interface OutcomeSide {
  answer?: Outcome['answer'];
  probability: number;
  sentence?: string;
}

export interface OutcomeDiff {
  /** `10.244.2.3:9090`, or the reason when nothing was DNATed (`no-service`, `rule-drop@node-2:21`). */
  key: string;
  a?: OutcomeSide;
  b?: OutcomeSide;
  kinds: DiffKind[];
}

function keyOf(o: Outcome): string {
  const d = o.detail;
  if (d?.pod) return formatEndpoint(d.pod.ip, d.pod.port);
  if (o.to && o.verdict === 'dnat') return o.to;
  return `${d?.reason ?? o.verdict}${d?.rule ? `@${d.rule.node}:${d.rule.line}` : ''}`;
}

function sides(r: TraceResult): Map<string, OutcomeSide & { stale: boolean }> {
  const m = new Map<string, OutcomeSide & { stale: boolean }>();
  for (const o of r.outcomes) {
    const k = keyOf(o);
    const prev = m.get(k);
    if (prev) prev.probability += o.probability;
    else
      m.set(k, {
        answer: o.answer,
        probability: o.probability,
        sentence: o.sentence,
        stale: o.detail?.reason === 'stale-endpoint',
      });
  }
  return m;
}

/** Every destination with what differs; entries that are the same on both sides have `kinds: []`. */
export function diffAnswers(a: TraceResult, b: TraceResult): OutcomeDiff[] {
  const A = sides(a);
  const B = sides(b);
  const out: OutcomeDiff[] = [];
  for (const key of new Set([...A.keys(), ...B.keys()])) {
    const x = A.get(key);
    const y = B.get(key);
    const kinds: DiffKind[] = [];
    if (!y) kinds.push('only-a');
    if (!x) kinds.push('only-b');
    if (x && y && Math.abs(x.probability - y.probability) > 1e-9) kinds.push('share');
    if (x && y && x.answer !== y.answer) kinds.push('answer');
    if (x?.stale !== y?.stale && (x?.stale || y?.stale)) kinds.push('stale');
    const d: OutcomeDiff = { key, kinds };
    if (x) d.a = { answer: x.answer, probability: x.probability, sentence: x.sentence };
    if (y) d.b = { answer: y.answer, probability: y.probability, sentence: y.sentence };
    out.push(d);
  }
  return out;
}
