import type { RuleRef } from '@/lib/model/graph';
/**
 * The pure trace graph: what the console draws for one TraceResult. Plain data (no React, no
 * cytoscape), so it can be unit-tested, rendered as an accessible list, and fed to any canvas.
 */

/** Identity of a cited rule within one node: the same line cited twice (by several outcomes) is listed once. */
export function ruleKey(r: RuleRef): string {
  return `${r.table}|${r.line}|${r.effect}`;
}

/** Formats a probability the way the console shows it everywhere (graph edges and the text list). */
export function formatProbability(p: number): string {
  if (p >= 0.9999995) return '100%';
  const pct = p * 100;
  return `${pct >= 10 ? pct.toFixed(1) : pct.toFixed(2)}%`;
}
