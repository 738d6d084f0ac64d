/**
 * Cytoscape elements → the same elements with positions from the layered layout, plus the box
 * that holds them. Handing cytoscape finished positions (a `preset` layout) and a viewport computed
 * from that box spares it a layout run, a position event per node and a bounding-box pass over
 * every label: on a 500-endpoint trace those cost seconds, the layout itself a few milliseconds.
 */
import type { ElementDefinition } from 'cytoscape';
import { layeredLayout, type LayoutEdge, type LayoutNode } from './layered-layout';
import { tileGrid } from './tile-grid';

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
  /** Width / height that an expanded fan-out's grid of tiles is shaped towards. */
  tileAspect?: number;
}

const isEdge = (el: ElementDefinition) =>
  el.group === 'edges' || (el.group === undefined && el.data.source !== undefined);

/**
 * An open frame's one-line label ("500 endpoints · 100%"), drawn above it (`text-valign: top`):
 * its font grows with the frame so it stays readable when the whole graph is fitted to the canvas
 * (a 4,000-pixel frame is drawn at about a fifth of its size), and `room` is kept free above.
 */
export function frameLabel(frameWidth: number): { fontSize: number; room: number } {
  const fontSize = Math.round(Math.min(64, Math.max(11, frameWidth / 80)));
  return { fontSize, room: Math.round(fontSize * 1.6) };
}

/**
 * Returns new node definitions carrying `position`; edges are passed through unchanged. A node
 * with `data.frame` (an endpoint tile) is placed in the grid of that frame, which takes part in the
 * layered layout as one box big enough for its tiles and gets that size as its `w` and `h`.
 * The frame is a plain node drawn under its tiles, not a cytoscape compound parent: with 500
 * children a compound re-dirties the parent's style and bounds for every child, which made the
 * first draw of a 500-endpoint trace several times slower.
 */
export function presetLayout(
  elements: ElementDefinition[],
  opts: PresetOptions,
): { elements: ElementDefinition[]; bounds: Bounds } {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const tiles = new Map<string, { id: string; w: number; h: number }[]>();
  for (const el of elements) {
    if (isEdge(el)) edges.push({ source: String(el.data.source), target: String(el.data.target) });
    else if (el.data.frame !== undefined) {
      const f = String(el.data.frame);
      (tiles.get(f) ?? tiles.set(f, []).get(f)!).push({ id: String(el.data.id), ...opts.sizeOf(el.data) });
    } else nodes.push({ id: String(el.data.id), ...opts.sizeOf(el.data) });
  }
  const frames = new Map<string, { grid: ReturnType<typeof tileGrid>; label: ReturnType<typeof frameLabel> }>();
  for (const n of nodes) {
    const kids = tiles.get(n.id);
    if (!kids) continue;
    const grid = tileGrid(kids, opts.tileAspect ?? (opts.direction === 'LR' ? 1.6 : 0.6));
    const label = frameLabel(grid.w);
    frames.set(n.id, { grid, label });
    n.w = grid.w;
    n.h = grid.h + label.room;
  }
  const { positions } = layeredLayout(nodes, edges, {
    direction: opts.direction,
    nodeSep: opts.nodeSep ?? 18,
    rankSep: opts.rankSep ?? 60,
    trailing: [...frames.keys()],
  });
  for (const [frame, { grid, label }] of frames) {
    // The body sits below the label room; the tiles are placed around the body's centre.
    const box = positions.get(frame)!;
    const body = { x: box.x, y: box.y + label.room / 2 };
    positions.set(frame, body);
    tiles
      .get(frame)!
      .forEach((k, i) => positions.set(k.id, { x: body.x + grid.offsets[i].x, y: body.y + grid.offsets[i].y }));
  }
  const bounds: Bounds = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  nodes.forEach((n) => {
    const body = positions.get(n.id)!;
    const f = frames.get(n.id);
    const p = f ? { x: body.x, y: body.y - f.label.room / 2 } : body;
    bounds.x1 = Math.min(bounds.x1, p.x - n.w / 2);
    bounds.x2 = Math.max(bounds.x2, p.x + n.w / 2);
    bounds.y1 = Math.min(bounds.y1, p.y - n.h / 2);
    bounds.y2 = Math.max(bounds.y2, p.y + n.h / 2);
  });
  if (!nodes.length) Object.assign(bounds, { x1: 0, y1: 0, x2: 0, y2: 0 });
  const placed = elements.map((el) => {
    if (isEdge(el)) return el;
    const id = String(el.data.id);
    const f = frames.get(id);
    // A tile whose frame is missing from the elements has no place: it is drawn at the origin rather than lost.
    const position = { ...(positions.get(id) ?? { x: 0, y: 0 }) };
    return f
      ? { ...el, data: { ...el.data, w: f.grid.w, h: f.grid.h, fontSize: f.label.fontSize }, position }
      : { ...el, position };
  });
  return { elements: placed, bounds };
}

/**
 * The zoom and pan that fit `bounds` into a viewport of `width` × `height` with `padding`, the
 * same arithmetic as cytoscape's `fit`, clamped to the allowed zoom range.
 */
export function fitViewport(
  bounds: Bounds,
  width: number,
  height: number,
  padding: number,
  minZoom: number,
  maxZoom: number,
): { zoom: number; pan: { x: number; y: number } } {
  const bw = Math.max(bounds.x2 - bounds.x1, 1);
  const bh = Math.max(bounds.y2 - bounds.y1, 1);
  const raw = Math.min((width - 2 * padding) / bw, (height - 2 * padding) / bh);
  const zoom = Math.min(maxZoom, Math.max(minZoom, Number.isFinite(raw) && raw > 0 ? raw : minZoom));
  return {
    zoom,
    pan: { x: (width - zoom * (bounds.x1 + bounds.x2)) / 2, y: (height - zoom * (bounds.y1 + bounds.y2)) / 2 },
  };
}
