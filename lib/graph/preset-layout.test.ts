import { describe, expect, it } from 'vitest';
import type { ElementDefinition } from 'cytoscape';
import { fitViewport, presetLayout } from './preset-layout';
import { DENSE_EDGES, toCytoscape } from './to-cytoscape';
import type { GraphModel } from '@/lib/model/graph';

const node = (id: string, w = 100, h = 30): ElementDefinition => ({ group: 'nodes', data: { id, w, h } });
const edge = (source: string, target: string): ElementDefinition => ({
  group: 'edges',
  data: { id: `${source}->${target}`, source, target },
});
const sizeOf = (d: Record<string, unknown>) => ({ w: Number(d.w), h: Number(d.h) });

describe('preset layout > elements', () => {
  it('gives every node a position, leaves edges alone and does not mutate its input', () => {
    const input = [node('a'), node('b'), node('c'), edge('a', 'b'), edge('a', 'c')];
    const before = JSON.stringify(input);
    const { elements, bounds } = presetLayout(input, { direction: 'LR', sizeOf, nodeSep: 10, rankSep: 50 });
    expect(JSON.stringify(input)).toBe(before);
    expect(elements.filter((e) => e.group === 'nodes').every((e) => e.position && Number.isFinite(e.position.x))).toBe(
      true,
    );
    expect(elements.filter((e) => e.group === 'edges')).toEqual(input.slice(3));
    // a is alone in rank 0, b and c share rank 1, stacked 30 + 10 apart.
    const at = Object.fromEntries(elements.filter((e) => e.position).map((e) => [e.data.id, e.position!]));
    expect(at.b.x).toBe(at.c.x);
    expect(Math.abs(at.b.y - at.c.y)).toBe(40);
    expect(bounds).toEqual({
      x1: at.a.x - 50,
      x2: at.b.x + 50,
      y1: Math.min(at.b.y, at.c.y) - 15,
      y2: Math.max(at.b.y, at.c.y) + 15,
    });
  });

  it('sizes boxes with the given size function (route diamonds are wider than their text)', () => {
    const { elements } = presetLayout([node('a', 100), node('b', 100), edge('a', 'b')], {
      direction: 'LR',
      sizeOf: (d) => ({ w: Number(d.w) + (d.id === 'a' ? 60 : 0), h: 30 }),
      rankSep: 50,
    });
    const [a, b] = elements.map((e) => e.position!);
    expect(b.x - a.x).toBe(160 / 2 + 50 + 100 / 2);
  });

  it('an empty graph has an empty box', () => {
    expect(presetLayout([], { direction: 'TB', sizeOf }).bounds).toEqual({ x1: 0, y1: 0, x2: 0, y2: 0 });
  });
});

describe('preset layout > viewport', () => {
  it('fits the box with padding, centred, like cytoscape fit', () => {
    const v = fitViewport({ x1: 0, y1: 0, x2: 1000, y2: 100 }, 1040, 560, 20, 0.05, 3);
    expect(v.zoom).toBe(1);
    expect(v.pan).toEqual({ x: 20, y: 230 });
  });

  it('clamps the zoom to the allowed range', () => {
    expect(fitViewport({ x1: 0, y1: 0, x2: 10, y2: 10 }, 1000, 500, 20, 0.05, 3).zoom).toBe(3);
    expect(fitViewport({ x1: 0, y1: 0, x2: 10, y2: 100_000 }, 1000, 500, 20, 0.05, 3).zoom).toBe(0.05);
    expect(fitViewport({ x1: 0, y1: 0, x2: 10, y2: 10 }, 0, 0, 20, 0.05, 3).zoom).toBe(0.05);
  });
});

describe('toCytoscape > dense fan-outs', () => {
  const fan = (n: number): GraphModel => ({
    nodes: [
      { id: 'svc', kind: 'chain', label: 'svc', rules: [] },
      ...Array.from({ length: n }, (_, i) => ({
        id: `ep${i}`,
        kind: 'endpoint' as const,
        label: `ep${i}`,
        probability: 1 / n,
        rules: [],
      })),
    ],
    edges: Array.from({ length: n }, (_, i) => ({
      id: `svc->ep${i}`,
      source: 'svc',
      target: `ep${i}`,
      kind: 'dnat' as const,
      probability: 1 / n,
      rules: [],
    })),
    groups: [],
  });
  const denseEdges = (m: GraphModel) =>
    toCytoscape(m).filter((e) => e.group === 'edges' && String(e.classes).split(' ').includes('dense')).length;

  it('marks edges dense only above the threshold, and keeps their probability label in the data', () => {
    expect(denseEdges(fan(DENSE_EDGES))).toBe(0);
    expect(denseEdges(fan(DENSE_EDGES + 1))).toBe(DENSE_EDGES + 1);
    const e = toCytoscape(fan(DENSE_EDGES + 1)).find((x) => x.group === 'edges')!;
    expect(e.data.label).toBe('0.66%');
  });
});
