import { describe, expect, it } from 'vitest';
import type { Outcome, TraceResult, TraceStep } from '@/lib/model/trace';
import { buildGraph } from './build-graph';
import { toCytoscape } from './to-cytoscape';
import { describeOutcomes } from './outcome-text';
import { formatProbability } from './graph-model';

const st = (
  table: string,
  chain: string,
  line: number,
  effect: TraceStep['effect'],
  raw = `-A ${chain} rule ${line}`,
): TraceStep => ({ table, chain, line, raw, effect, why: `${effect} at ${line}` });

/** A ClusterIP trace shaped like the tracer's output: PREROUTING → KUBE-SERVICES → KUBE-SVC → KUBE-SEP → DNAT → POSTROUTING. */
function clusterIpTrace(n: number, opts: { masq?: boolean } = {}): TraceResult {
  const outcomes: Outcome[] = Array.from({ length: n }, (_, i) => ({
    verdict: 'dnat',
    to: `10.244.1.${10 + i}:8080`,
    probability: 1 / n,
    masquerade: !!opts.masq,
    assumptions: [],
    steps: [
      st('nat', 'PREROUTING', 0, 'enter', ''),
      st('nat', 'PREROUTING', 3, 'jump'),
      st('nat', 'KUBE-SERVICES', 10, 'jump'),
      { ...st('nat', 'KUBE-SVC-AAAA', 20, 'jump'), label: { role: 'service', service: 'default/web:http' } },
      st('nat', 'KUBE-MARK-MASQ', 5, 'mark'),
      st('nat', 'KUBE-SVC-AAAA', 21 + i, i < n - 1 ? 'branch' : 'jump'),
      st('nat', `KUBE-SEP-${i}`, 100 + 2 * i, 'dnat'),
      st('nat', 'PREROUTING', 0, 'policy', ''),
      st('filter', 'FORWARD', 0, 'enter', ''),
      st('filter', 'FORWARD', 7, 'accept'),
      st('nat', 'POSTROUTING', 0, 'enter', ''),
      st('nat', 'POSTROUTING', 4, 'jump'),
      st('nat', 'KUBE-POSTROUTING', 30, opts.masq ? 'masquerade' : 'return'),
    ],
  }));
  return {
    packet: { src: '192.168.50.99', dst: '10.96.10.10', port: 80, proto: 'tcp' },
    node: 'node-a',
    mode: 'iptables',
    outcomes,
    notes: [],
    warnings: [],
  };
}

describe('buildGraph', () => {
  it('walks hooks as a spine and chains as jumps, with per-endpoint probabilities', () => {
    const g = buildGraph(clusterIpTrace(3, { masq: true }), {
      podsByIp: { '10.244.1.10': { namespace: 'default', name: 'web-0', node: 'node-a' } },
    });
    const edge = (s: string, t: string) => g.edges.find((e) => e.source === s && e.target === t);
    expect(edge('source', 'nat:PREROUTING')?.probability).toBeCloseTo(1);
    expect(edge('nat:PREROUTING', 'nat:KUBE-SERVICES')?.kind).toBe('jump');
    expect(edge('nat:KUBE-SVC-AAAA', 'nat:KUBE-MARK-MASQ')).toBeDefined();
    // Back from KUBE-MARK-MASQ to its caller is a return, not a new edge.
    expect(edge('nat:KUBE-MARK-MASQ', 'nat:KUBE-SVC-AAAA')).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      expect(edge('nat:KUBE-SVC-AAAA', `nat:KUBE-SEP-${i}`)?.probability).toBeCloseTo(1 / 3);
      const dn = edge(`nat:KUBE-SEP-${i}`, `endpoint:10.244.1.${10 + i}:8080`);
      expect(dn?.kind).toBe('dnat');
      expect(dn?.masquerade).toBe(true);
      expect(dn?.rules[0].line).toBe(100 + 2 * i);
    }
    expect(edge('nat:PREROUTING', 'filter:FORWARD')?.kind).toBe('flow');
    expect(g.edges.filter((e) => e.source === e.target)).toEqual([]);
    expect(edge('filter:FORWARD', 'nat:POSTROUTING')?.kind).toBe('flow');
    const ep = g.nodes.find((n) => n.id === 'endpoint:10.244.1.10:8080');
    expect(ep?.pod?.name).toBe('web-0');
    expect(ep?.label).toContain('default/web-0');
    expect(g.nodes.find((n) => n.id === 'nat:KUBE-SVC-AAAA')?.rules.map((r) => r.line)).toEqual([20, 21, 22, 23]);
    expect(g.nodes.find((n) => n.id === 'nat:KUBE-SVC-AAAA')?.label).toBe('nat KUBE-SVC-AAAA\ndefault/web:http');
  });

  it('draws DROP and REJECT as verdict nodes hanging off the rule that decided', () => {
    const r: TraceResult = {
      packet: { src: '203.0.113.7', dst: '203.0.113.10', port: 443, proto: 'tcp' },
      mode: 'iptables',
      notes: [],
      warnings: [],
      outcomes: [
        {
          verdict: 'drop',
          to: null,
          probability: 1,
          masquerade: false,
          assumptions: [],
          steps: [
            st('nat', 'PREROUTING', 0, 'enter', ''),
            st('filter', 'INPUT', 0, 'enter', ''),
            st('filter', 'INPUT', 4, 'jump'),
            st('filter', 'KUBE-EXTERNAL-SERVICES', 12, 'drop', '-A KUBE-EXTERNAL-SERVICES ... -j DROP'),
          ],
        },
      ],
    };
    const g = buildGraph(r);
    const v = g.nodes.find((n) => n.kind === 'verdict');
    expect(v?.label).toBe('DROP');
    expect(v?.rules[0].raw).toContain('-j DROP');
    expect(g.edges.find((e) => e.target === v?.id)?.source).toBe('filter:KUBE-EXTERNAL-SERVICES');
    expect(describeOutcomes(r)[0].summary).toBe('DROP, 100%, not masqueraded');
  });

  it('collapses a fan-out above the threshold into one group with the summed probability, and expands on request', () => {
    const r = clusterIpTrace(30);
    const g = buildGraph(r, { collapseAbove: 12 });
    const group = g.nodes.find((n) => n.kind === 'group');
    expect(group?.count).toBe(30);
    expect(group?.probability).toBeCloseTo(1);
    expect(g.nodes.filter((n) => n.kind === 'endpoint')).toHaveLength(0);
    expect(g.edges.find((e) => e.target === group?.id && e.source === 'nat:KUBE-SVC-AAAA')?.probability).toBeCloseTo(1);
    expect(g.groups).toEqual([{ id: group?.id, count: 30, expanded: false }]);
    const open = buildGraph(r, { collapseAbove: 12, expanded: [group!.id] });
    expect(open.nodes.filter((n) => n.kind === 'endpoint')).toHaveLength(30);
    expect(open.groups[0].expanded).toBe(true);
    expect(buildGraph(clusterIpTrace(12), { collapseAbove: 12 }).groups).toEqual([]);
  });

  it('collapses an IPVS virtual server fan-out (no per-endpoint chains)', () => {
    const outcomes: Outcome[] = Array.from({ length: 20 }, (_, i) => ({
      verdict: 'dnat',
      to: `10.244.2.${i}:53`,
      probability: 1 / 20,
      masquerade: false,
      assumptions: [],
      steps: [
        st('nat', 'PREROUTING', 0, 'enter', ''),
        st('ipvs', 'UDP 10.96.0.10:53', 7, 'ipvs'),
        st('ipvs', 'UDP 10.96.0.10:53', 8 + i, 'dnat'),
      ],
    }));
    const g = buildGraph({
      packet: { src: '10.244.1.5', dst: '10.96.0.10', port: 53, proto: 'udp' },
      mode: 'ipvs',
      outcomes,
      notes: [],
      warnings: [],
    });
    expect(g.nodes.find((n) => n.id === 'ipvs:UDP 10.96.0.10:53')?.kind).toBe('ipvs');
    const group = g.nodes.find((n) => n.kind === 'group');
    expect(group?.count).toBe(20);
    expect(
      g.edges.find((e) => e.source === 'ipvs:UDP 10.96.0.10:53' && e.target === group?.id)?.probability,
    ).toBeCloseTo(1);
  });

  it('emits cytoscape elements whose edges reference existing nodes and carry text labels', () => {
    const els = toCytoscape(buildGraph(clusterIpTrace(2, { masq: true })));
    const ids = new Set(els.filter((e) => e.group === 'nodes').map((e) => e.data.id));
    for (const e of els.filter((x) => x.group === 'edges')) {
      expect(ids.has(e.data.source as string)).toBe(true);
      expect(ids.has(e.data.target as string)).toBe(true);
    }
    expect(els.find((e) => e.data.id === 'nat:KUBE-SVC-AAAA->nat:KUBE-SEP-0')?.data.label).toBe('50.0%');
    expect(els.find((e) => e.data.id === 'endpoint:10.244.1.10:8080')?.data.label).toContain('masquerade');
  });
});

describe('formatProbability', () => {
  it.each([
    [1, '100%'],
    [0.5, '50.0%'],
    [1 / 3, '33.3%'],
    [0.02, '2.00%'],
    [0.002, '0.20%'],
  ])('%s → %s', (p, s) => {
    expect(formatProbability(p)).toBe(s);
  });
});
