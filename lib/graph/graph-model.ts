/**
 * The pure trace graph: what the console draws for one TraceResult. Plain data (no React, no
 * cytoscape), so it can be unit-tested, rendered as an accessible list, and fed to any canvas.
 * The types live in lib/model/graph.
 */
import type { Answer } from '@/lib/model/answer';
import type { RuleRef } from '@/lib/model/graph';

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

/** Two outcomes' answers on one element: the same, or 'mixed' (never success unless all are). */
export function mergeAnswer(
  a: Answer | 'mixed' | undefined,
  b: Answer | 'mixed' | undefined,
): Answer | 'mixed' | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  return 'mixed';
}
