/**
 * The trace as a static SVG for reports: a small layered (Sugiyama-lite) layout, no DOM and no
 * cytoscape, so it runs in Node and the HTML report needs no script at all. Every label is escaped.
 */
import { formatProbability } from '@/lib/graph/graph-model';
import type { GraphModel, GraphNode, GraphNodeKind } from '@/lib/model/graph';

type Kind = GraphNodeKind;

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Layer = longest path from the source, so every edge points down the page. */
function layers(graph: GraphModel): Map<string, number> {
  const layer = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  // Bellman-Ford style relaxation; trace graphs are DAGs of a few dozen nodes.
  for (let round = 0; round < graph.nodes.length; round++) {
    let changed = false;
    for (const e of graph.edges) {
      const next = (layer.get(e.source) ?? 0) + 1;
      if (next > (layer.get(e.target) ?? 0) && next <= graph.nodes.length) {
        layer.set(e.target, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}

const W = 220,
  H = 46,
  GAP_X = 40,
  GAP_Y = 60;
const FILL: Record<Kind, string> = {
  source: '#dbeafe',
  hook: '#e5e7eb',
  chain: '#f3f4f6',
  ipvs: '#ede9fe',
  route: '#fef9c3',
  endpoint: '#dcfce7',
  group: '#d1fae5',
  verdict: '#fee2e2',
};

export function renderTraceSvg(graph: GraphModel): string {
  const layerOf = layers(graph);
  const byLayer = new Map<number, GraphNode[]>();
  for (const n of graph.nodes) {
    const l = layerOf.get(n.id) ?? 0;
    (byLayer.get(l) ?? byLayer.set(l, []).get(l)!).push(n);
  }
  const widest = Math.max(1, ...[...byLayer.values()].map((l) => l.length));
  const width = widest * (W + GAP_X) + GAP_X;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [layer, ns] of byLayer) {
    const offset = (width - ns.length * (W + GAP_X) + GAP_X) / 2;
    ns.forEach((n, i) => pos.set(n.id, { x: offset + i * (W + GAP_X), y: GAP_Y / 2 + layer * (H + GAP_Y) }));
  }
  const height = (Math.max(0, ...byLayer.keys()) + 1) * (H + GAP_Y);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="trace graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
  ];
  for (const e of graph.edges) {
    const a = pos.get(e.source),
      b = pos.get(e.target);
    if (!a || !b) continue;
    const x1 = a.x + W / 2,
      y1 = a.y + H,
      x2 = b.x + W / 2,
      y2 = b.y;
    parts.push(
      `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${e.masquerade ? '#b45309' : '#555'}" stroke-width="1.5"${e.masquerade ? ' stroke-dasharray="5,3"' : ''} marker-end="url(#arrow)"/>`,
    );
    const label = `${formatProbability(e.probability)}${e.masquerade ? ' MASQ' : ''}`;
    parts.push(`<text x="${(x1 + x2) / 2 + 4}" y="${(y1 + y2) / 2}" fill="#111">${escapeXml(label)}</text>`);
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.id)!;
    parts.push(`<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6" fill="${FILL[n.kind]}" stroke="#666"/>`);
    const lines = [n.label, n.service ?? (n.pod ? `pod ${n.pod.namespace}/${n.pod.name}` : '')].filter(Boolean);
    lines.slice(0, 2).forEach((line, i) => {
      const clipped = line.length > 34 ? `${line.slice(0, 33)}…` : line;
      parts.push(`<text x="${p.x + 8}" y="${p.y + 18 + i * 16}">${escapeXml(clipped)}</text>`);
    });
  }
  parts.push('</svg>');
  return parts.join('\n');
}
