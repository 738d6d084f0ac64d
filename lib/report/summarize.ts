/** One-sentence summaries and per-outcome wording shared by every report format. */
import type { Outcome, Packet, TraceResult } from '@/lib/model/trace';

export function describePacket(p: Packet): string {
  return `${p.proto} ${p.src} → ${p.dst}:${p.port}`;
}

export function percent(probability: number): string {
  const pct = probability * 100;
  return `${Number.isInteger(pct) ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** The step that decided an outcome: the last terminal step (DNAT, DROP, REJECT, ACCEPT policy...). */
export function decidingStep(outcome: Outcome) {
  const terminal = ['dnat', 'drop', 'reject', 'accept', 'policy'];
  for (let i = outcome.steps.length - 1; i >= 0; i--) {
    if (terminal.includes(outcome.steps[i].effect)) return outcome.steps[i];
  }
  return outcome.steps[outcome.steps.length - 1];
}

export function describeOutcome(o: Outcome): string {
  // The verdict sentence says what the client sees, where and by whose rule: it leads when present.
  // (It names its share itself when there are several outcomes.)
  if (o.sentence) return o.sentence;
  const masq = o.masquerade ? ', masqueraded (the pod sees the node address)' : '';
  switch (o.verdict) {
    case 'dnat':
      return `${percent(o.probability)} → ${o.to ?? '?'}${o.endpoint?.service ? ` (${o.endpoint.service})` : ''}${masq}`;
    case 'accept':
      return `${percent(o.probability)} accepted untouched to ${o.to ?? 'its destination'} (no Service rule matched)${masq}`;
    case 'drop': {
      const s = decidingStep(o);
      return `${percent(o.probability)} DROPPED${s ? ` at ${s.table} ${s.chain} line ${s.line}` : ''} (the client times out)`;
    }
    case 'reject': {
      const s = decidingStep(o);
      return `${percent(o.probability)} REJECTED${s ? ` at ${s.table} ${s.chain} line ${s.line}` : ''} (the client sees "connection refused" at once)`;
    }
  }
}

/** A long fan-out's sentences beyond this many are counted, not listed, at the top of the report. */
const TOP_SENTENCES = 8;

/**
 * The report's first line: the verdict sentence (one per outcome, with its share when there are
 * several), as the console shows it above the graph; the verdict tally only for answers without one.
 */
export function summarizeTrace(trace: TraceResult, node: string): string {
  const head = `${describePacket(trace.packet)} on node ${node} (${trace.mode} mode)`;
  if (trace.outcomes.length === 0) return `${head}: no outcome (nothing to trace)`;
  if (trace.outcomes.every((o) => o.sentence)) {
    if (trace.outcomes.length === 1) return trace.outcomes[0].sentence!;
    // Each sentence names its own share when there are several outcomes (lib/question/sentence).
    const listed = trace.outcomes.slice(0, TOP_SENTENCES).map((o) => o.sentence!);
    const rest = trace.outcomes.length - listed.length;
    return `${listed.join('; ')}${rest > 0 ? `; and ${rest} more outcomes (${percent(trace.outcomes.slice(TOP_SENTENCES).reduce((a, o) => a + o.probability, 0))})` : ''}`;
  }
  const byVerdict = new Map<string, number>();
  for (const o of trace.outcomes) byVerdict.set(o.verdict, (byVerdict.get(o.verdict) ?? 0) + o.probability);
  const dnat = trace.outcomes.filter((o) => o.verdict === 'dnat');
  const parts: string[] = [];
  if (dnat.length) {
    const masq = dnat.filter((o) => o.masquerade).length;
    parts.push(
      `DNAT to ${dnat.length} endpoint${dnat.length > 1 ? 's' : ''} (${percent(byVerdict.get('dnat') ?? 0)})${masq ? `, masqueraded on ${masq} of ${dnat.length}` : ''}`,
    );
  }
  for (const v of ['drop', 'reject', 'accept'] as const) {
    const p = byVerdict.get(v);
    if (p) parts.push(`${v.toUpperCase()} ${percent(p)}`);
  }
  return `${head}: ${parts.join('; ')}`;
}
