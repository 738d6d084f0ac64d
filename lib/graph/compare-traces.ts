/**
 * Compare is a diff: the same question answered on two nodes, lined up by where each outcome ends
 * (an endpoint, or a drop/reject), marking what differs: endpoints on one side only, different
 * shares, different answers, stale entries. Pure data for the compare view and its tests.
 */
import type { Outcome, TraceResult } from '@/lib/model/trace';
import type { Answer } from '@/lib/model/answer';

export interface DiffSide {
  share: number;
  answer?: Answer | 'mixed';
  stale: boolean;
  sentence?: string;
}

export interface DiffRow {
  /** Where the outcome ends: "10.244.2.3:9090", or "drop" / "reject" for a packet that ends in a rule. */
  key: string;
  left?: DiffSide;
  right?: DiffSide;
  /** What differs, in words: "only on node-1", "share 50% vs 33.3%", "delivered vs unanswered", "stale on node-2". */
  differences: string[];
}

export interface TraceDiff {
  left: string;
  right: string;
  rows: DiffRow[];
  /** Shares per answer on each side: { delivered: 0.5, unanswered: 0.5 }. */
  answers: { left: Partial<Record<Answer, number>>; right: Partial<Record<Answer, number>> };
  differs: boolean;
}

/** Where the outcome was headed: the pod after DNAT when the answer names one (a packet dropped on
 *  the pod's node after the first node DNATed it ends at the same pod as one dropped on the first). */
function keyOf(o: Outcome): string {
  const pod = o.detail?.pod;
  if (pod) return pod.ip.includes(':') ? `[${pod.ip}]:${pod.port}` : `${pod.ip}:${pod.port}`;
  return o.verdict === 'drop' || o.verdict === 'reject' ? o.verdict : (o.to ?? o.verdict);
}
const pct = (p: number) => `${Math.round(p * 1000) / 10}%`;
/** Shares closer than this are the same (statistic probabilities are printed with 11 decimals). */
const SAME_SHARE = 0.0005;

function sides(r: TraceResult): Map<string, DiffSide> {
  const out = new Map<string, DiffSide>();
  for (const o of r.outcomes) {
    const k = keyOf(o);
    const prev = out.get(k);
    const stale = o.detail?.reason === 'stale-endpoint';
    if (!prev) out.set(k, { share: o.probability, answer: o.answer, stale, sentence: o.sentence });
    else {
      prev.share += o.probability;
      prev.stale ||= stale;
      if (prev.answer !== o.answer) prev.answer = 'mixed';
    }
  }
  return out;
}

function answerShares(r: TraceResult): Partial<Record<Answer, number>> {
  const out: Partial<Record<Answer, number>> = {};
  for (const o of r.outcomes) if (o.answer) out[o.answer] = (out[o.answer] ?? 0) + o.probability;
  return out;
}

export function compareTraces(
  left: { node: string; result: TraceResult },
  right: { node: string; result: TraceResult },
): TraceDiff {
  const a = sides(left.result);
  const b = sides(right.result);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const rows: DiffRow[] = keys.map((key) => {
    const l = a.get(key);
    const r = b.get(key);
    const differences: string[] = [];
    if (!r) differences.push(`only on ${left.node}`);
    else if (!l) differences.push(`only on ${right.node}`);
    else {
      if (Math.abs(l.share - r.share) > SAME_SHARE)
        differences.push(`share ${pct(l.share)} on ${left.node} vs ${pct(r.share)} on ${right.node}`);
      if (l.answer !== r.answer)
        differences.push(`${l.answer ?? '?'} on ${left.node} vs ${r.answer ?? '?'} on ${right.node}`);
    }
    if (l?.stale && !r?.stale) differences.push(`stale on ${left.node}`);
    if (r?.stale && !l?.stale) differences.push(`stale on ${right.node}`);
    if (l?.stale && r?.stale) differences.push('stale on both');
    return { key, left: l, right: r, differences };
  });
  // Differences first, then the rest in each side's order.
  rows.sort((x, y) => Number(y.differences.length > 0) - Number(x.differences.length > 0));
  return {
    left: left.node,
    right: right.node,
    rows,
    answers: { left: answerShares(left.result), right: answerShares(right.result) },
    differs: rows.some((r) => r.differences.length > 0),
  };
}
