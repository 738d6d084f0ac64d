/**
 * The answer first, for the CLI's readable output: the verdict sentence of every outcome, then the
 * nodes the packet crosses, then the warnings that change how to read it (a what-if node, a lagging
 * kube-proxy). The rule-by-rule trace follows it (format-trace-text).
 */
import type { TraceResult } from '@/lib/model/trace';

export function formatAnswerText(r: TraceResult & { sentence?: string }): string {
  const out: string[] = [];
  const whatIf = r.warnings.filter((w) => w.startsWith('what-if:'));
  for (const w of whatIf) out.push(`!! ${w}`);
  if (r.sentence) out.push(r.sentence);
  for (const o of r.outcomes) if (o.sentence) out.push(o.sentence);
  if (r.path?.length) {
    const nodes: string[] = [];
    for (const h of r.path) if (!nodes.includes(h.node)) nodes.push(h.node);
    out.push(`nodes on the path: ${nodes.join(', ')}${r.path.some((h) => !h.collected) ? ' (not collected: ' + r.path.filter((h) => !h.collected).map((h) => h.node).join(', ') + ')' : ''}`);
  }
  return out.length ? `${out.join('\n')}\n\n` : '';
}
