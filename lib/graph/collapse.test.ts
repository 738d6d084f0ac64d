import { describe, expect, it } from 'vitest';
import type { Outcome, TraceResult, TraceStep } from '@/lib/model/trace';
import { buildGraph } from './build-graph';
import { toCytoscape } from './to-cytoscape';
import { frameLabel, presetLayout } from './preset-layout';
import type { GraphModel } from '@/lib/model/graph';

const st = (table: string, chain: string, line: number, effect: TraceStep['effect']): TraceStep => ({
  table,
  chain,
  line,
  raw: line ? `-A ${chain} rule ${line}` : '',
  effect,
  why: `${effect} at ${line}`,
});

/**
 * A pod reaching its own Service (hairpin): every KUBE-SEP-i first jumps to KUBE-MARK-MASQ, then
 * DNATs, the way kube-proxy writes `-s <pod ip> -j KUBE-MARK-MASQ` before the DNAT rule.
 */
function hairpinTrace(n: number): TraceResult {
  const outcomes: Outcome[] = Array.from({ length: n }, (_, i) => ({
    verdict: 'dnat',
    to: `10.244.1.${10 + i}:8080`,
    probability: 1 / n,
    masquerade: i === 0,
    assumptions: [],
    steps: [
      st('nat', 'OUTPUT', 0, 'enter'),
      st('nat', 'OUTPUT', 3, 'jump'),
      st('nat', 'KUBE-SERVICES', 10, 'jump'),
      st('nat', 'KUBE-SVC-AAAA', 21 + i, i < n - 1 ? 'branch' : 'jump'),
      st('nat', `KUBE-SEP-${i}`, 100 + 2 * i, 'jump'),
      st('nat', 'KUBE-MARK-MASQ', 5, 'mark'),
      st('nat', `KUBE-SEP-${i}`, 101 + 2 * i, 'dnat'),
      st('nat', 'POSTROUTING', 0, 'enter'),
    ],
  }));
  return {
    packet: { src: '10.244.1.10', dst: '10.96.10.10', port: 80, proto: 'tcp' },
    node: 'node-a',
    mode: 'iptables',
    outcomes,
    notes: [],
    warnings: [],
  };
}

const ipvsTrace = (n: number): TraceResult => ({
  packet: { src: '10.244.1.5', dst: '10.96.0.10', port: 53, proto: 'udp' },
  mode: 'ipvs',
  notes: [],
  warnings: [],
  outcomes: Array.from({ length: n }, (_, i) => ({
    verdict: 'dnat',
    to: `10.244.2.${i}:53`,
    probability: 1 / n,
    masquerade: false,
    assumptions: [],
    steps: [
      st('nat', 'PREROUTING', 0, 'enter'),
      st('ipvs', 'UDP 10.96.0.10:53', 7, 'ipvs'),
      st('ipvs', 'UDP 10.96.0.10:53', 8 + i, 'dnat'),
    ],
  })),
});

function wellFormed(g: GraphModel) {
  const ids = new Set(g.nodes.map((n) => n.id));
  expect(ids.size).toBe(g.nodes.length);
  for (const e of g.edges) expect(ids.has(e.source) && ids.has(e.target), e.id).toBe(true);
  // The frame comes before its tiles, so it is drawn under them.
  for (const [i, n] of g.nodes.entries())
    if (n.parent) expect(g.nodes.findIndex((p) => p.id === n.parent)).toBeLessThan(i);
}

describe('collapseFanOut > expanded fan-out as a frame of tiles', () => {
  const n = 30;
  const collapsed = buildGraph(hairpinTrace(n), { collapseAbove: 12 });
  const gid = collapsed.groups[0].id;
  const open = buildGraph(hairpinTrace(n), { collapseAbove: 12, expanded: [gid] });

  it('draws one tile per endpoint in the frame, with the SEP chain folded in: one element more per endpoint than collapsed', () => {
    wellFormed(collapsed);
    wellFormed(open);
    expect(open.groups).toEqual([{ id: gid, count: n, expanded: true }]);
    expect(open.nodes.length).toBe(collapsed.nodes.length + n);
    expect(open.nodes.filter((x) => x.id.startsWith('nat:KUBE-SEP-'))).toEqual([]);
    const tiles = open.nodes.filter((x) => x.parent === gid);
    expect(tiles.map((t) => t.id)).toEqual(Array.from({ length: n }, (_, i) => `endpoint:10.244.1.${10 + i}:8080`));
    const frame = open.nodes.find((x) => x.id === gid)!;
    expect(frame).toMatchObject({ kind: 'group', expanded: true, count: n, label: `${n} endpoints`, masquerade: true });
    expect(frame.probability).toBeCloseTo(1);
  });

  it('a tile carries the rule lines of every step it stands for: the pick in KUBE-SVC, the SEP rules, the DNAT', () => {
    for (let i = 0; i < n; i++) {
      const t = open.nodes.find((x) => x.id === `endpoint:10.244.1.${10 + i}:8080`)!;
      expect(t.via).toBe(`nat KUBE-SEP-${i}`);
      expect(t.rules.map((r) => r.line)).toEqual([21 + i, 100 + 2 * i, 101 + 2 * i]);
      expect(t.probability).toBeCloseTo(1 / n);
      expect(t.masquerade).toBe(i === 0);
    }
  });

  it('edges: the pick points at the frame with the summed share, the SEP chains leave one frame → KUBE-MARK-MASQ edge, none enters a tile', () => {
    const into = new Set(open.nodes.filter((x) => x.parent).map((x) => x.id));
    expect(open.edges.filter((e) => into.has(e.target) || into.has(e.source))).toEqual([]);
    const pick = open.edges.find((e) => e.source === 'nat:KUBE-SVC-AAAA' && e.target === gid);
    expect(pick?.probability).toBeCloseTo(1);
    const masq = open.edges.filter((e) => e.target === 'nat:KUBE-MARK-MASQ');
    expect(masq.map((e) => e.source)).toEqual([gid]);
    expect(masq.find((e) => e.source === gid)?.probability).toBeCloseTo(1);
    // Collapsed and expanded agree on everything outside the group.
    const outside = (g: GraphModel) =>
      g.edges
        .filter((e) => e.source !== gid && e.target !== gid)
        .map((e) => `${e.id}@${e.probability.toFixed(6)}`)
        .sort();
    expect(outside(open)).toEqual(outside(collapsed));
  });

  it('an IPVS virtual server fan-out opens the same way: the real-server pick becomes the tile rule', () => {
    const c = buildGraph(ipvsTrace(20));
    const o = buildGraph(ipvsTrace(20), { expanded: [c.groups[0].id] });
    wellFormed(o);
    expect(o.nodes.length).toBe(c.nodes.length + 20);
    const tiles = o.nodes.filter((x) => x.parent === c.groups[0].id);
    expect(tiles).toHaveLength(20);
    expect(tiles[3].rules.map((r) => r.line)).toEqual([11]);
    expect(tiles[3].via).toBeUndefined();
    expect(
      o.edges.find((e) => e.source === 'ipvs:UDP 10.96.0.10:53' && e.target === c.groups[0].id)?.probability,
    ).toBeCloseTo(1);
  });

  it('cytoscape elements: tiles name their frame, the frame has a one-line label, the layout puts every tile inside its frame box without overlaps', () => {
    const els = toCytoscape(open);
    const frame = els.find((e) => e.data.id === gid)!;
    expect(frame.data.label).toBe(`${n} endpoints · 100% · masquerade`);
    expect(String(frame.classes).split(' ')).toEqual(expect.arrayContaining(['group', 'open']));
    expect(frame.grabbable).toBe(false);
    const tile = els.find((e) => e.data.id === 'endpoint:10.244.1.10:8080')!;
    expect(tile.data.frame).toBe(gid);
    expect(String(tile.data.label).split('\n')).toEqual(['10.244.1.10:8080', '3.33%', 'masquerade', 'nat KUBE-SEP-0']);
    const sizeOf = (d: Record<string, unknown>) => ({ w: Number(d.w), h: Number(d.h) });
    const { elements } = presetLayout(els, { direction: 'LR', sizeOf });
    const box = (id: string) => {
      const el = elements.find((e) => e.data.id === id)!;
      return { ...el.position!, ...sizeOf(el.data) };
    };
    const tiles = elements.filter((e) => e.data.frame === gid).map((e) => box(String(e.data.id)));
    const xs = tiles.map((t) => t.x);
    const ys = tiles.map((t) => t.y);
    // A grid, not a column: more than one column and more than one row.
    expect(new Set(xs).size).toBeGreaterThan(1);
    expect(new Set(ys).size).toBeGreaterThan(1);
    for (const [i, a] of tiles.entries())
      for (const b of tiles.slice(i + 1))
        expect(Math.abs(a.x - b.x) >= (a.w + b.w) / 2 || Math.abs(a.y - b.y) >= (a.h + b.h) / 2).toBe(true);
    // The frame's box (sized by the layout around its tiles) holds them, and no other node sits in it.
    const f = box(gid);
    expect(f.x - f.w / 2).toBeLessThan(Math.min(...tiles.map((t) => t.x - t.w / 2)));
    expect(f.x + f.w / 2).toBeGreaterThan(Math.max(...tiles.map((t) => t.x + t.w / 2)));
    expect(f.y - f.h / 2).toBeLessThan(Math.min(...tiles.map((t) => t.y - t.h / 2)));
    expect(f.y + f.h / 2).toBeGreaterThan(Math.max(...tiles.map((t) => t.y + t.h / 2)));
    const {
      x1: left,
      x2: right,
      y1: top,
      y2: bottom,
    } = { x1: f.x - f.w / 2, x2: f.x + f.w / 2, y1: f.y - f.h / 2 - frameLabel(f.w).room, y2: f.y + f.h / 2 };
    for (const e of elements.filter((x) => x.group === 'nodes' && x.data.frame === undefined && x.data.id !== gid)) {
      const b = box(String(e.data.id));
      const apart = b.x + b.w / 2 <= left || b.x - b.w / 2 >= right || b.y + b.h / 2 <= top || b.y - b.h / 2 >= bottom;
      expect(apart, String(e.data.id)).toBe(true);
      // The frame has a rank of its own, after every other node: nothing is pushed to its edges.
      expect(b.x + b.w / 2).toBeLessThan(left);
    }
    expect(elements.find((e) => e.data.id === gid)!.data.fontSize).toBe(frameLabel(f.w).fontSize);
  });
});
