/**
 * GraphModel → cytoscape ElementDefinitions. Labels are plain strings (cytoscape draws text on a
 * canvas, so names and rule comments can never become markup).
 */
import type { ElementDefinition } from 'cytoscape';
import { formatProbability } from './graph-model';
import type { GraphModel } from '@/lib/model/graph';

/**
 * Above this many edges the graph is an expanded fan-out: its edges are drawn without labels (each
 * endpoint's box already carries its share, the edge's rules are one click away), which halves what
 * cytoscape has to measure and draw for a 500-endpoint trace.
 */
export const DENSE_EDGES = 150;

/** The text drawn in a node: endpoints, groups and verdicts carry their share (and masquerade). */
function nodeLabel(n: GraphModel['nodes'][number]): string {
  const share = n.probability !== undefined ? formatProbability(n.probability) : undefined;
  // An open frame's label is one line above its tiles.
  if (n.kind === 'group' && n.expanded)
    return [n.label, share, n.masquerade ? 'masquerade' : undefined].filter(Boolean).join(' · ');
  if (n.kind !== 'endpoint' && n.kind !== 'group' && n.kind !== 'verdict') return n.label;
  return [n.label, share, n.masquerade ? 'masquerade' : undefined, n.via].filter(Boolean).join('\n');
}

export function toCytoscape(model: GraphModel): ElementDefinition[] {
  const dense = model.edges.length > DENSE_EDGES;
  const nodes: ElementDefinition[] = model.nodes.map((n) => {
    const label = nodeLabel(n);
    const lines = label.split('\n');
    return {
      group: 'nodes',
      // Box size from the text (cytoscape's `width: label` is deprecated): ~6.6px per glyph at 11px.
      // A tile's `frame` places it in the grid of its expanded group (the layout sizes the frame).
      data: {
        id: n.id,
        label,
        kind: n.kind,
        role: n.role ?? '',
        ...(n.answer ? { answer: n.answer } : {}),
        w: Math.max(...lines.map((l) => l.length)) * 6.6 + 18,
        h: lines.length * 14 + 12,
        ...(n.parent ? { frame: n.parent } : {}),
      },
      classes: [
        n.kind,
        n.role ? `role-${n.role}` : '',
        n.masquerade ? 'masq' : '',
        n.expanded ? 'open' : '',
        n.parent ? 'tile' : '',
        n.answer ? `answer-${n.answer}` : '',
        n.stale ? 'stale' : '',
      ]
        .filter(Boolean)
        .join(' '),
      // Frame and tiles move together or not at all: a dragged tile would leave its frame.
      ...(n.parent || n.expanded ? { grabbable: false } : {}),
    };
  });
  const edges: ElementDefinition[] = model.edges.map((e) => ({
    group: 'edges',
    data: {
      id: e.id,
      source: e.source,
      target: e.target,
      kind: e.kind,
      ...(e.answer ? { answer: e.answer } : {}),
      label: `${formatProbability(e.probability)}${e.masquerade ? ' · masq' : ''}`,
    },
    classes: [e.kind, e.masquerade ? 'masq' : '', dense ? 'dense' : '', e.answer ? `answer-${e.answer}` : '']
      .filter(Boolean)
      .join(' '),
  }));
  return [...nodes, ...edges];
}
