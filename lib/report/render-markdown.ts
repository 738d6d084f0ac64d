/**
 * Markdown export. Every piece of cluster text (names, comments, rule lines) is escaped or fenced,
 * so a Service named `<img onerror=...>` stays text in any Markdown viewer.
 */
import type { IncidentReport } from '@/lib/model/report';
import type { Outcome } from '@/lib/model/trace';
import { describeOutcome, describePacket } from './summarize';
import { dnsMarkdown } from './dns-section';
import { mdCode, mdText } from './markdown-escape';
import type { DnsExplanation } from '@/lib/model/dns';

function outcomeSection(o: Outcome, index: number): string {
  const lines = [`### Outcome ${index + 1}: ${mdText(describeOutcome(o))}`, ''];
  if (o.assumptions.length) lines.push(`Assumptions: ${o.assumptions.map(mdText).join('; ')}`, '');
  lines.push('| # | table | chain | line | effect | why |', '|---|---|---|---|---|---|');
  o.steps.forEach((s, i) => {
    lines.push(
      `| ${i + 1} | ${mdText(s.table)} | ${mdText(s.chain)} | ${s.line || ''} | ${s.effect} | ${mdText(s.why)} |`,
    );
  });
  const raw = o.steps.filter((s) => s.line > 0).map((s) => `${String(s.line).padStart(6)}  ${s.raw}`);
  if (raw.length) lines.push('', 'Rule lines as captured:', '', mdCode(raw.join('\n')));
  return lines.join('\n');
}

export function renderMarkdown(r: IncidentReport): string {
  const q = r.question;
  const question =
    q.kind === 'trace'
      ? `${describePacket(q.packet)} on node ${q.node}`
      : `resolve ${q.name}${q.pod ? ` from pod ${q.pod}` : ''} (${q.resolver})`;
  const out: string[] = [
    `# kubepath incident report ${mdText(r.id)}`,
    '',
    `- **When:** ${mdText(r.createdAt)} (snapshot taken ${mdText(r.snapshotCapturedAt)})`,
    `- **By:** ${mdText(r.createdBy)}`,
    `- **Cluster:** ${mdText(r.cluster.name)}${r.cluster.context ? ` (context ${mdText(r.cluster.context)})` : ''}`,
    `- **Question:** ${mdText(question)}`,
    '',
    `## Verdict`,
    '',
    mdText(r.summary),
    '',
  ];
  if (r.trace) {
    out.push('## Outcomes', '');
    r.trace.outcomes.forEach((o, i) => out.push(outcomeSection(o, i), ''));
  }
  if (r.dns) out.push(dnsMarkdown(r.dns as DnsExplanation));
  if (r.findings.length) out.push('## Findings', '', ...r.findings.map((f) => `- ${mdText(f)}`), '');
  out.push('## Nodes', '', '| node | via | captured | status |', '|---|---|---|---|');
  for (const n of r.nodes) {
    out.push(
      `| ${mdText(n.name)} | ${mdText(n.via)} | ${mdText(n.capturedAt)} | ${n.collected ? 'collected' : `FAILED: ${mdText(n.error ?? '')}`} |`,
    );
  }
  out.push(
    '',
    '## Evidence (sha256 of the raw captures)',
    '',
    '| node | capture | command | bytes | sha256 |',
    '|---|---|---|---|---|',
  );
  for (const e of r.evidence) {
    out.push(
      `| ${mdText(e.node)} | ${mdText(e.kind)} | \`${e.command.replace(/`/g, "'")}\` | ${e.bytes} | \`${e.sha256}\` |`,
    );
  }
  return `${out.join('\n')}\n`;
}
