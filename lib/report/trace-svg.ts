/**
 * The trace as a static SVG for reports: a small layered (Sugiyama-lite) layout, no DOM and no
 * cytoscape, so it runs in Node and the HTML report needs no script at all. Every label is escaped.
 */
import type { TraceResult } from '@/lib/model/trace';
import { percent } from './summarize';

interface SvgNode { id: string; label: string; kind: 'source' | 'chain' | 'endpoint' | 'drop' | 'reject' | 'accept'; layer: number }
interface SvgEdge { from: string; to: string; label?: string; masquerade?: boolean }

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Chains traversed per outcome become a DAG: source → hook/chain → ... → endpoint or verdict. */
export function traceGraph(trace: TraceResult): { nodes: SvgNode[]; edges: SvgEdge[] } {
  const nodes = new Map<string, SvgNode>();
  const edges = new Map<string, SvgEdge>();
  const add = (id: string, label: string, kind: SvgNode['kind'], layer: number) => {
    const n = nodes.get(id);
    if (n) n.layer = Math.max(n.layer, layer);
    else nodes.set(id, { id, label, kind, layer });
  };
  add('src', `${trace.packet.src}`, 'source', 0);
  trace.outcomes.forEach((o, i) => {
    let prev = 'src';
    let layer = 0;
    for (const s of o.steps) {
      if (s.effect === 'note' || s.effect === 'route') continue;
      const id = `${s.table}/${s.chain}`;
      if (id === prev) continue;
      layer += 1;
      add(id, s.label?.service ? `${s.chain}\n${s.label.service}` : `${s.table} ${s.chain}`, 'chain', layer);
      edges.set(`${prev}>${id}`, { from: prev, to: id });
      prev = id;
    }
    const endId = o.verdict === 'dnat' || o.verdict === 'accept' ? `end/${o.to}` : `end/${o.verdict}/${i}`;
    const kind = o.verdict === 'dnat' ? 'endpoint' : o.verdict;
    add(endId, o.verdict === 'dnat' ? `${o.to}${o.endpoint?.service ? `\n${o.endpoint.service}` : ''}` : `${o.verdict.toUpperCase()}${o.to ? ` ${o.to}` : ''}`, kind, layer + 1);
    edges.set(`${prev}>${endId}#${i}`, { from: prev, to: endId, label: `${percent(o.probability)}${o.masquerade ? ' MASQ' : ''}`, masquerade: o.masquerade });
  });
  // Push every terminal to the last layer so outcomes line up.
  const last = Math.max(...[...nodes.values()].map((n) => n.layer));
  for (const n of nodes.values()) if (n.kind !== 'chain' && n.kind !== 'source') n.layer = last;
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

const W = 220, H = 46, GAP_X = 40, GAP_Y = 60;
const FILL: Record<SvgNode['kind'], string> = { source: '#dbeafe', chain: '#f3f4f6', endpoint: '#dcfce7', drop: '#fee2e2', reject: '#ffedd5', accept: '#e0f2fe' };

export function renderTraceSvg(trace: TraceResult): string {
  const { nodes, edges } = traceGraph(trace);
  const layers = new Map<number, SvgNode[]>();
  for (const n of nodes) (layers.get(n.layer) ?? layers.set(n.layer, []).get(n.layer)!).push(n);
  const widest = Math.max(...[...layers.values()].map((l) => l.length));
  const width = widest * (W + GAP_X) + GAP_X;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [layer, ns] of layers) {
    const offset = (width - ns.length * (W + GAP_X) + GAP_X) / 2;
    ns.forEach((n, i) => pos.set(n.id, { x: offset + i * (W + GAP_X), y: GAP_Y / 2 + layer * (H + GAP_Y) }));
  }
  const height = (Math.max(...layers.keys()) + 1) * (H + GAP_Y);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="trace graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
  ];
  for (const e of edges) {
    const a = pos.get(e.from)!, b = pos.get(e.to)!;
    const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2, y2 = b.y;
    parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${e.masquerade ? '#b45309' : '#555'}" stroke-width="1.5"${e.masquerade ? ' stroke-dasharray="5,3"' : ''} marker-end="url(#arrow)"/>`);
    if (e.label) parts.push(`<text x="${(x1 + x2) / 2 + 4}" y="${(y1 + y2) / 2}" fill="#111">${escapeXml(e.label)}</text>`);
  }
  for (const n of nodes) {
    const p = pos.get(n.id)!;
    parts.push(`<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6" fill="${FILL[n.kind]}" stroke="#666"/>`);
    n.label.split('\n').slice(0, 2).forEach((line, i) => {
      const clipped = line.length > 34 ? `${line.slice(0, 33)}…` : line;
      parts.push(`<text x="${p.x + 8}" y="${p.y + 18 + i * 16}">${escapeXml(clipped)}</text>`);
    });
  }
  parts.push('</svg>');
  return parts.join('\n');
}
