/**
 * Cytoscape elements → the same elements with positions from the layered layout, plus the box
 * that holds them. Handing cytoscape finished positions (a `preset` layout) and a viewport computed
 * from that box spares it a layout run, a position event per node and a bounding-box pass over
 * every label: on a 500-endpoint trace those cost seconds, the layout itself a few milliseconds.
 */
import type { ElementDefinition } from 'cytoscape';
import { layeredLayout, type LayoutEdge, type LayoutNode } from './layered-layout';

export interface Bounds {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PresetOptions {
  direction: 'LR' | 'TB';
  /** Drawn box of a node from its data (the stylesheet's sizes, borders included). */
  sizeOf: (data: Record<string, unknown>) => { w: number; h: number };
  nodeSep?: number;
  rankSep?: number;
}

const isEdge = (el: ElementDefinition) => el.group === 'edges' || (el.group === undefined && el.data.source !== undefined);

/** Returns new node definitions carrying `position`; edges are passed through unchanged. */
export function presetLayout(elements: ElementDefinition[], opts: PresetOptions): { elements: ElementDefinition[]; bounds: Bounds } {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  for (const el of elements) {
    if (isEdge(el)) edges.push({ source: String(el.data.source), target: String(el.data.target) });
    else nodes.push({ id: String(el.data.id), ...opts.sizeOf(el.data) });
  }
  const { positions } = layeredLayout(nodes, edges, { direction: opts.direction, nodeSep: opts.nodeSep ?? 18, rankSep: opts.rankSep ?? 60 });
  const bounds: Bounds = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  nodes.forEach((n) => {
    const p = positions.get(n.id)!;
    bounds.x1 = Math.min(bounds.x1, p.x - n.w / 2);
    bounds.x2 = Math.max(bounds.x2, p.x + n.w / 2);
    bounds.y1 = Math.min(bounds.y1, p.y - n.h / 2);
    bounds.y2 = Math.max(bounds.y2, p.y + n.h / 2);
  });
  if (!nodes.length) Object.assign(bounds, { x1: 0, y1: 0, x2: 0, y2: 0 });
  const placed = elements.map((el) => (isEdge(el) ? el : { ...el, position: { ...positions.get(String(el.data.id))! } }));
  return { elements: placed, bounds };
}

/**
 * The zoom and pan that fit `bounds` into a viewport of `width` × `height` with `padding`, the
 * same arithmetic as cytoscape's `fit`, clamped to the allowed zoom range.
 */
export function fitViewport(bounds: Bounds, width: number, height: number, padding: number, minZoom: number, maxZoom: number): { zoom: number; pan: { x: number; y: number } } {
  const bw = Math.max(bounds.x2 - bounds.x1, 1);
  const bh = Math.max(bounds.y2 - bounds.y1, 1);
  const raw = Math.min((width - 2 * padding) / bw, (height - 2 * padding) / bh);
  const zoom = Math.min(maxZoom, Math.max(minZoom, Number.isFinite(raw) && raw > 0 ? raw : minZoom));
  return { zoom, pan: { x: (width - zoom * (bounds.x1 + bounds.x2)) / 2, y: (height - zoom * (bounds.y1 + bounds.y2)) / 2 } };
}
