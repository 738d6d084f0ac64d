/**
 * A layered (Sugiyama-style) layout for the console's graphs, in plain TypeScript.
 *
 * A trace graph is a DAG whose shape we know: source → hooks → chains → SEP chains → pods /
 * verdicts (iptables refuses jump loops, so cycles can only come from odd inputs and are cut).
 * That lets a few linear passes replace dagre's general machinery, which took seconds on a
 * 500-endpoint fan-out (>1000 nodes): ranks by longest path, order within a rank by the order
 * nodes appear in (the trace's order) refined by barycenter sweeps, then coordinates packed so
 * boxes never overlap and each rank sits centred on its parents.
 */

export interface LayoutNode {
  id: string;
  /** Box width and height in model pixels. */
  w: number;
  h: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface LayeredOptions {
  /** 'LR': ranks left to right (default); 'TB': ranks top to bottom. */
  direction?: 'LR' | 'TB';
  /** Gap between neighbouring boxes of one rank. */
  nodeSep?: number;
  /** Gap between ranks. */
  rankSep?: number;
  /** Barycenter sweeps (down + up counts as one). */
  sweeps?: number;
  /**
   * Nodes that get a rank of their own each, after every other rank. For an expanded fan-out's
   * frame: a box thousands of pixels across would otherwise share a rank with small chains and
   * push them to its far edges, with the hook spine's edges crossing it.
   */
  trailing?: string[];
}

export interface LayeredLayout {
  /** Centre of every node's box. */
  positions: Map<string, { x: number; y: number }>;
  /** Rank (column in LR, row in TB) of every node. */
  ranks: Map<string, number>;
  /** Node ids per rank, in drawing order. */
  layers: string[][];
}

/** Drops edges that close a cycle (found by an iterative DFS in input order) and self-loops. */
export function acyclicEdges(ids: string[], edges: LayoutEdge[]): LayoutEdge[] {
  const out = new Map<string, LayoutEdge[]>();
  for (const e of edges) if (e.source !== e.target) (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e);
  const state = new Map<string, 1 | 2>(); // 1 = on the DFS stack, 2 = finished
  const back = new Set<LayoutEdge>();
  for (const root of ids) {
    if (state.has(root)) continue;
    const stack: { id: string; i: number }[] = [{ id: root, i: 0 }];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = out.get(top.id)?.[top.i++];
      if (!next) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const s = state.get(next.target);
      if (s === 1) back.add(next);
      else if (s === undefined) {
        state.set(next.target, 1);
        stack.push({ id: next.target, i: 0 });
      }
    }
  }
  return edges.filter((e) => e.source !== e.target && !back.has(e));
}

/** Longest-path ranks: every edge points to a higher rank, sources sit at rank 0 (Kahn order). */
export function longestPathRanks(ids: string[], dag: LayoutEdge[]): Map<string, number> {
  const rank = new Map(ids.map((id) => [id, 0]));
  const indeg = new Map(ids.map((id) => [id, 0]));
  const out = new Map<string, string[]>();
  for (const e of dag) {
    if (!rank.has(e.source) || !rank.has(e.target)) continue;
    indeg.set(e.target, indeg.get(e.target)! + 1);
    (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e.target);
  }
  const queue = ids.filter((id) => indeg.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i];
    for (const v of out.get(u) ?? []) {
      rank.set(v, Math.max(rank.get(v)!, rank.get(u)! + 1));
      const d = indeg.get(v)! - 1;
      indeg.set(v, d);
      if (d === 0) queue.push(v);
    }
  }
  return rank;
}

/**
 * Orders each rank: start from input order, then sweep down (sort by the mean position of
 * predecessors) and up (of successors). Ties keep the previous order, so the result is
 * deterministic and a fan-out keeps the order the trace listed its endpoints in.
 */
export function orderLayers(ids: string[], dag: LayoutEdge[], rank: Map<string, number>, sweeps = 2): string[][] {
  const layers: string[][] = [];
  for (const id of ids) (layers[rank.get(id)!] ??= []).push(id);
  for (let r = 0; r < layers.length; r++) layers[r] ??= [];
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const e of dag) {
    (preds.get(e.target) ?? preds.set(e.target, []).get(e.target)!).push(e.source);
    (succs.get(e.source) ?? succs.set(e.source, []).get(e.source)!).push(e.target);
  }
  // Position of a node within its rank, scaled to 0..1 so ranks of different sizes compare.
  const pos = new Map<string, number>();
  const place = (layer: string[]) =>
    layer.forEach((id, i) => pos.set(id, layer.length > 1 ? i / (layer.length - 1) : 0.5));
  layers.forEach(place);
  const sortBy = (layer: string[], nbrs: Map<string, string[]>) => {
    const key = layer.map((id, i) => {
      const ns = nbrs.get(id);
      const b = ns?.length ? ns.reduce((s, n) => s + pos.get(n)!, 0) / ns.length : pos.get(id)!;
      return { id, b, i };
    });
    key.sort((a, b) => a.b - b.b || a.i - b.i);
    return key.map((k) => k.id);
  };
  for (let s = 0; s < sweeps; s++) {
    for (let r = 1; r < layers.length; r++) place((layers[r] = sortBy(layers[r], preds)));
    for (let r = layers.length - 2; r >= 0; r--) place((layers[r] = sortBy(layers[r], succs)));
  }
  return layers;
}

/** Lays out nodes and edges; unknown edge ends are ignored, every node gets a position. */
export function layeredLayout(nodes: LayoutNode[], edges: LayoutEdge[], opts: LayeredOptions = {}): LayeredLayout {
  const { direction = 'LR', nodeSep = 18, rankSep = 60, sweeps = 2, trailing = [] } = opts;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ids = [...byId.keys()];
  const dag = acyclicEdges(
    ids,
    edges.filter((e) => byId.has(e.source) && byId.has(e.target)),
  );
  const ranks = longestPathRanks(ids, dag);
  const last = new Set(trailing.filter((id) => byId.has(id)));
  if (last.size) {
    let r = Math.max(-1, ...ids.filter((id) => !last.has(id)).map((id) => ranks.get(id)!));
    for (const id of last) ranks.set(id, ++r);
  }
  const layers = orderLayers(ids, dag, ranks, sweeps);
  const lr = direction === 'LR';
  // "along" runs across ranks, "across" runs within a rank.
  const along = (n: LayoutNode) => (lr ? n.w : n.h);
  const across = (n: LayoutNode) => (lr ? n.h : n.w);
  const preds = new Map<string, string[]>();
  for (const e of dag) (preds.get(e.target) ?? preds.set(e.target, []).get(e.target)!).push(e.source);
  const at = new Map<string, { a: number; c: number }>();
  let cursor = 0;
  for (const layer of layers) {
    const thick = Math.max(0, ...layer.map((id) => along(byId.get(id)!)));
    const a = cursor + thick / 2;
    cursor += thick + rankSep;
    // Pack the rank in order without overlaps, then shift it as a block so that, on average,
    // nodes sit level with their parents (a chain of single nodes becomes a straight line).
    let end = -Infinity;
    let drift = 0;
    let anchored = 0;
    const cs = layer.map((id) => {
      const n = byId.get(id)!;
      const ps = (preds.get(id) ?? []).filter((p) => at.has(p));
      const want = ps.length ? ps.reduce((s, p) => s + at.get(p)!.c, 0) / ps.length : undefined;
      const size = across(n);
      const c = Math.max(want ?? -Infinity, end + nodeSep + size / 2, end === -Infinity ? (want ?? 0) : -Infinity);
      end = c + size / 2;
      if (want !== undefined) {
        drift += c - want;
        anchored++;
      }
      return c;
    });
    const shift = anchored ? drift / anchored : 0;
    layer.forEach((id, i) => at.set(id, { a, c: cs[i] - shift }));
  }
  const positions = new Map<string, { x: number; y: number }>();
  for (const id of ids) {
    const p = at.get(id)!;
    positions.set(id, lr ? { x: p.a, y: p.c } : { x: p.c, y: p.a });
  }
  return { positions, ranks, layers };
}
