import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  acyclicEdges,
  layeredLayout,
  longestPathRanks,
  orderLayers,
  type LayoutEdge,
  type LayoutNode,
} from './layered-layout';

const box = (id: string, w = 100, h = 30): LayoutNode => ({ id, w, h });
const e = (source: string, target: string): LayoutEdge => ({ source, target });

/** Boxes of one rank must not touch (the `across` axis) and ranks must not overlap (the `along` axis). */
function overlaps(nodes: LayoutNode[], pos: Map<string, { x: number; y: number }>): [string, string][] {
  const bad: [string, string][] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i],
        b = nodes[j];
      const pa = pos.get(a.id)!,
        pb = pos.get(b.id)!;
      if (Math.abs(pa.x - pb.x) * 2 < a.w + b.w && Math.abs(pa.y - pb.y) * 2 < a.h + b.h) bad.push([a.id, b.id]);
    }
  }
  return bad;
}

/** Random DAGs: edges only from a lower to a higher index, plus optional back edges (cycles). */
const graphArb = (withCycles: boolean) =>
  fc.integer({ min: 1, max: 40 }).chain((n) =>
    fc.record({
      nodes: fc.constant(
        Array.from({ length: n }, (_, i) => box(`n${i}`, 40 + ((i * 37) % 160), 20 + ((i * 11) % 40))),
      ),
      edges: fc
        .array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 })
        .map((pairs) => pairs.filter(([a, b]) => withCycles || a < b).map(([a, b]) => e(`n${a}`, `n${b}`))),
    }),
  );

describe('layered layout > ranks', () => {
  it('ranks by longest path: a long edge does not pull its target up', () => {
    const ranks = longestPathRanks(['a', 'b', 'c', 'd'], [e('a', 'b'), e('b', 'c'), e('a', 'c'), e('c', 'd')]);
    expect(Object.fromEntries(ranks)).toEqual({ a: 0, b: 1, c: 2, d: 3 });
  });

  it('cuts the edge that closes a cycle and keeps the rest', () => {
    const dag = acyclicEdges(['a', 'b', 'c'], [e('a', 'b'), e('b', 'c'), e('c', 'a'), e('b', 'b')]);
    expect(dag).toEqual([e('a', 'b'), e('b', 'c')]);
  });

  it('every kept edge points to a higher rank, on random graphs with cycles', () => {
    fc.assert(
      fc.property(graphArb(true), ({ nodes, edges }) => {
        const ids = nodes.map((n) => n.id);
        const dag = acyclicEdges(ids, edges);
        const ranks = longestPathRanks(ids, dag);
        for (const d of dag) expect(ranks.get(d.target)!).toBeGreaterThan(ranks.get(d.source)!);
        // Only self-loops and cycle-closing edges may be dropped: a DAG input keeps all its edges.
        if (edges.every((x) => Number(x.source.slice(1)) < Number(x.target.slice(1))))
          expect(dag.length).toBe(edges.length);
      }),
    );
  });
});

describe('layered layout > order within a rank', () => {
  it('keeps a fan-out in the order the trace listed it', () => {
    const ids = ['svc', 'sep3', 'sep1', 'sep2', 'pod3', 'pod1', 'pod2'];
    const edges = [
      e('svc', 'sep3'),
      e('svc', 'sep1'),
      e('svc', 'sep2'),
      e('sep3', 'pod3'),
      e('sep1', 'pod1'),
      e('sep2', 'pod2'),
    ];
    const layers = orderLayers(ids, edges, longestPathRanks(ids, edges));
    expect(layers).toEqual([['svc'], ['sep3', 'sep1', 'sep2'], ['pod3', 'pod1', 'pod2']]);
  });

  it('untangles a crossing by barycenter', () => {
    // a→y and b→x drawn in input order would cross; the sweep swaps x and y.
    const ids = ['r', 'a', 'b', 'x', 'y'];
    const edges = [e('r', 'a'), e('r', 'b'), e('a', 'y'), e('b', 'x')];
    const layers = orderLayers(ids, edges, longestPathRanks(ids, edges));
    expect(layers[2]).toEqual(['y', 'x']);
  });
});

describe('layered layout > coordinates', () => {
  it('places ranks left to right and a single chain on one line', () => {
    const nodes = [box('src', 80), box('OUTPUT', 120), box('KUBE-SERVICES', 160), box('pod', 100)];
    const { positions: p } = layeredLayout(
      nodes,
      [e('src', 'OUTPUT'), e('OUTPUT', 'KUBE-SERVICES'), e('KUBE-SERVICES', 'pod')],
      { rankSep: 60 },
    );
    expect(new Set(nodes.map((n) => p.get(n.id)!.y)).size).toBe(1);
    expect(p.get('OUTPUT')!.x - p.get('src')!.x).toBe(80 / 2 + 60 + 120 / 2);
    expect(p.get('pod')!.x).toBeGreaterThan(p.get('KUBE-SERVICES')!.x);
  });

  it('TB swaps the axes', () => {
    const nodes = [box('a'), box('b'), box('c')];
    const edges = [e('a', 'b'), e('a', 'c')];
    const lr = layeredLayout(nodes, edges).positions;
    const tb = layeredLayout(nodes, edges, { direction: 'TB' }).positions;
    expect(tb.get('b')!.y).toBeGreaterThan(tb.get('a')!.y);
    expect(tb.get('b')!.x).not.toBe(tb.get('c')!.x);
    expect(lr.get('b')!.x).toBe(lr.get('c')!.x);
  });

  it('centres a fan-out on its parent', () => {
    const kids = Array.from({ length: 5 }, (_, i) => box(`k${i}`));
    const { positions: p } = layeredLayout(
      [box('svc'), ...kids],
      kids.map((k) => e('svc', k.id)),
    );
    const ys = kids.map((k) => p.get(k.id)!.y);
    expect((Math.min(...ys) + Math.max(...ys)) / 2).toBeCloseTo(p.get('svc')!.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });

  it('never overlaps boxes, positions every node, and is deterministic (random graphs)', () => {
    fc.assert(
      fc.property(graphArb(true), fc.constantFrom<'LR' | 'TB'>('LR', 'TB'), ({ nodes, edges }, direction) => {
        const a = layeredLayout(nodes, edges, { direction });
        expect(a.positions.size).toBe(nodes.length);
        for (const p of a.positions.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
        expect(overlaps(nodes, a.positions)).toEqual([]);
        const b = layeredLayout(
          nodes.map((n) => ({ ...n })),
          edges.map((x) => ({ ...x })),
          { direction },
        );
        expect([...b.positions]).toEqual([...a.positions]);
      }),
      { numRuns: 200 },
    );
  });

  it('gives trailing nodes a rank of their own each, after all others', () => {
    const nodes = ['a', 'b', 'frame', 'c', 'd'].map((id) => box(id));
    const { ranks, layers } = layeredLayout(
      nodes,
      [e('a', 'b'), e('b', 'frame'), e('a', 'c'), e('c', 'd'), e('frame', 'd')],
      { trailing: ['frame', 'ghost'] },
    );
    // Without it the frame would share rank 2 with c; d, which the frame points to, still comes before it.
    expect(ranks.get('frame')).toBe(Math.max(...['a', 'b', 'c', 'd'].map((id) => ranks.get(id)!)) + 1);
    expect(layers[ranks.get('frame')!]).toEqual(['frame']);
  });

  it('ignores edges to unknown nodes', () => {
    const { positions } = layeredLayout([box('a')], [e('a', 'ghost'), e('ghost', 'a')]);
    expect([...positions.keys()]).toEqual(['a']);
  });
});
