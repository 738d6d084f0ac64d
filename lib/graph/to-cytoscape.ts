/**
 * GraphModel → cytoscape ElementDefinitions. Labels are plain strings (cytoscape draws text on a
 * canvas, so names and rule comments can never become markup).
 */
import type { ElementDefinition } from 'cytoscape';
import { formatProbability, type GraphModel } from './graph-model';

export function toCytoscape(model: GraphModel): ElementDefinition[] {
  const nodes: ElementDefinition[] = model.nodes.map((n) => {
    const label = n.kind === 'endpoint' || n.kind === 'group' || n.kind === 'verdict'
      ? `${n.label}${n.probability !== undefined ? `\n${formatProbability(n.probability)}` : ''}${n.masquerade ? '\nmasquerade' : ''}`
      : n.label;
    const lines = label.split('\n');
    return {
      group: 'nodes',
      // Box size from the text (cytoscape's `width: label` is deprecated): ~6.6px per glyph at 11px.
      data: { id: n.id, label, kind: n.kind, role: n.role ?? '', w: Math.max(...lines.map((l) => l.length)) * 6.6 + 18, h: lines.length * 14 + 12 },
      classes: [n.kind, n.role ? `role-${n.role}` : '', n.masquerade ? 'masq' : ''].filter(Boolean).join(' '),
    };
  });
  const edges: ElementDefinition[] = model.edges.map((e) => ({
    group: 'edges',
    data: {
      id: e.id,
      source: e.source,
      target: e.target,
      kind: e.kind,
      label: `${formatProbability(e.probability)}${e.masquerade ? ' · masq' : ''}`,
    },
    classes: [e.kind, e.masquerade ? 'masq' : ''].filter(Boolean).join(' '),
  }));
  return [...nodes, ...edges];
}
