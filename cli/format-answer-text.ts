/**
 * The answer first, for the CLI's readable output: the verdict sentence of every outcome, then the
 * nodes the packet crosses, then the warnings that change how to read it (a what-if node, a lagging
 * kube-proxy). The rule-by-rule trace follows it (format-trace-text).
 */
import type { TraceResult } from '@/lib/model/trace';
import { formatEndpoint } from '@/lib/net/ip';
import { stepLine } from '@/cli/format-trace-text';

export function formatAnswerText(r: TraceResult & { sentence?: string }): string {
  const out: string[] = [];
  const whatIf = r.warnings.filter((w) => w.startsWith('what-if:'));
  for (const w of whatIf) out.push(`!! ${w}`);
  if (r.sentence) out.push(r.sentence);
  for (const o of r.outcomes) if (o.sentence) out.push(o.sentence);
  if (r.path?.length) {
    const nodes: string[] = [];
    for (const h of r.path) if (!nodes.includes(h.node)) nodes.push(h.node);
    out.push(
      `nodes on the path: ${nodes.join(', ')}${
        r.path.some((h) => !h.collected)
          ? ' (not collected: ' +
            r.path
              .filter((h) => !h.collected)
              .map((h) => h.node)
              .join(', ') +
            ')'
          : ''
      }`,
    );
  }
  return out.length ? `${out.join('\n')}\n\n` : '';
}

/**
 * The nodes after the first, as the packet reaches them: where it came from, what it looks like on
 * arrival (already DNATed, maybe masqueraded), and the rules of that node it meets. The first
 * node's rules are the outcomes' own steps (format-trace-text).
 */
export function formatPathText(r: TraceResult): string {
  const later = (r.path ?? []).filter((h) => h.via);
  if (!later.length) return '';
  const out: string[] = ['', 'Further along the path:'];
  for (const h of later) {
    const a = h.arrives;
    const via = h.via!;
    const how = [via.device && `dev ${via.device}`, via.gateway && `via ${via.gateway}`].filter(Boolean).join(' ');
    out.push('');
    out.push(
      `── ${h.node}${h.collected ? '' : ' (NOT COLLECTED: the trace stops here)'} — outcome${h.outcomes.length > 1 ? 's' : ''} ${h.outcomes.map((i) => `[${i + 1}]`).join(' ')}`,
    );
    out.push(
      `   arrives from ${via.fromNode}${how ? ` (${how})` : ''}: ${a.proto} ${formatEndpoint(a.src, a.sport ?? 'any')} → ${formatEndpoint(a.dst, a.port)}, a new connection for this node's conntrack`,
    );
    for (const s of h.steps) if (s.effect !== 'enter') out.push(...stepLine(s));
  }
  return `${out.join('\n')}\n`;
}
