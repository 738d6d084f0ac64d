/**
 * The accessible text equivalent of a trace graph: one entry per outcome with its verdict,
 * destination, pod, probability and masquerade decision, and the rule lines that led there.
 * Screen readers read it and the e2e tests compare it with the CLI's JSON.
 */
import type { TraceResult, Verdict } from '@/lib/model/trace';
import type { Answer } from '@/lib/model/answer';
import { formatProbability } from './graph-model';
import type { PodRef } from '@/lib/model/graph';

export interface OutcomeText {
  verdict: Verdict;
  to: string | null;
  probability: number;
  masquerade: boolean;
  pod?: PodRef;
  /** One sentence: "DNAT to 10.244.1.10:8080 (pod default/web-0 on node-a), 33.3%, masqueraded". */
  summary: string;
  /** "nat KUBE-SERVICES line 12: jump — <why>" for every step. */
  steps: string[];
  /** What the client sees, and the verdict sentence (the answer contract). */
  answer?: Answer;
  sentence?: string;
  /** The rules DNAT to an address no pod has. */
  stale: boolean;
}

function ipOf(to: string): string {
  return to.startsWith('[') ? to.slice(1, to.indexOf(']')) : to.slice(0, to.lastIndexOf(':'));
}

export function describeOutcomes(result: TraceResult, podsByIp: Record<string, PodRef> = {}): OutcomeText[] {
  return result.outcomes.map((o) => {
    const pod = o.to ? podsByIp[ipOf(o.to)] : undefined;
    const where =
      o.verdict === 'dnat' ? `DNAT to ${o.to}` : o.verdict === 'accept' ? `ACCEPT to ${o.to}` : o.verdict.toUpperCase();
    const who = pod ? ` (pod ${pod.namespace}/${pod.name}${pod.node ? ` on ${pod.node}` : ''})` : '';
    const masq = o.masquerade ? 'masqueraded' : 'not masqueraded';
    return {
      verdict: o.verdict,
      to: o.to,
      probability: o.probability,
      masquerade: o.masquerade,
      pod,
      summary: `${where}${who}, ${formatProbability(o.probability)}, ${masq}`,
      steps: o.steps.map((s) => `${s.table} ${s.chain}${s.line ? ` line ${s.line}` : ''}: ${s.effect} — ${s.why}`),
      answer: o.answer,
      sentence: o.sentence,
      stale: o.detail?.reason === 'stale-endpoint',
    };
  });
}
