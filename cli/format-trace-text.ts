/**
 * Plain-text rendering of a TraceResult for the CLI: what happens to a new connection, each
 * possible outcome with its probability, and the rules that decided it (table, chain, line,
 * the rule itself, and why it matched) — readable by an SRE at 3 a.m.
 */
import type { Outcome, TraceResult, TraceStep } from '@/lib/model/trace';
import { formatProbability } from '@/lib/trace/core/outcome';
import { formatEndpoint } from '@/lib/net/ip';

function headline(o: Outcome): string {
  const svc = o.endpoint?.service ? ` (service ${o.endpoint.service})` : '';
  switch (o.verdict) {
    case 'dnat':
      return `DNAT → ${o.to}${svc}`;
    case 'accept':
      return `ACCEPT, destination unchanged: ${o.to} (no Service rule rewrote it)`;
    case 'drop':
      return 'DROP — silently discarded: the client waits and times out';
    case 'reject':
      return 'REJECT — refused at once: the client sees "connection refused"';
  }
}

export function stepLine(s: TraceStep): string[] {
  const where = s.line ? `${s.table} ${s.chain} (line ${s.line})` : `${s.table} ${s.chain}`;
  const lab = s.label?.service
    ? ` [${s.label.role ?? ''} ${s.label.service}${s.label.endpoint ? ` → ${s.label.endpoint}` : ''}]`
    : s.label?.role && s.label.role !== 'builtin' && s.label.role !== 'host'
      ? ` [${s.label.role}]`
      : '';
  const p = s.branchProbability !== undefined ? ` (branch probability ${formatProbability(s.branchProbability)})` : '';
  const lines = [`  ${s.effect.padEnd(10)} ${where}${lab}${p}`];
  if (s.raw) lines.push(`             ${s.raw}`);
  lines.push(`             → ${s.why}`);
  for (const a of s.assumptions ?? []) lines.push(`             ! assumed: ${a}`);
  return lines;
}

/** Render the whole result. */
export function formatTraceText(r: TraceResult): string {
  const p = r.packet;
  const out: string[] = [];
  out.push(
    `kubepath trace: ${p.proto} ${formatEndpoint(p.src, p.sport ?? 'any')} → ${formatEndpoint(p.dst, p.port)}${r.node ? ` on node ${r.node}` : ''} (kube-proxy mode: ${r.mode})`,
  );
  out.push('');
  if (!r.outcomes.length) out.push('No outcome computed.');
  else if (r.outcomes.length === 1) out.push('One outcome for a new connection:');
  else out.push(`${r.outcomes.length} possible outcomes for a new connection:`);
  r.outcomes.forEach((o, i) => {
    out.push('');
    out.push(`[${i + 1}] ${formatProbability(o.probability)}  ${headline(o)}`);
    if (o.verdict === 'dnat' || o.verdict === 'accept') {
      out.push(
        `    masquerade (SNAT to the node's address): ${o.masquerade ? 'YES — the endpoint sees the node as the client' : o.snatTo ? `SNAT to ${o.snatTo}` : 'no — the endpoint sees the real client IP'}`,
      );
    }
    if (o.path)
      out.push(
        `    path: ${o.path === 'local' ? 'delivered to the node itself' : o.path === 'forward' ? 'forwarded by the node' : 'sent out by the node'}`,
      );
    for (const s of o.steps) {
      if (s.effect === 'enter') continue;
      out.push(...stepLine(s));
    }
    if (o.assumptions.length) {
      out.push('    assumptions:');
      for (const a of o.assumptions) out.push(`      - ${a}`);
    }
  });
  if (r.notes.length) {
    out.push('', 'Notes:');
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  if (r.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of r.warnings) out.push(`  - ${w}`);
  }
  return `${out.join('\n')}\n`;
}
