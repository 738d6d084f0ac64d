import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { explainDnsLookup } from '@/lib/dns/explain';
import type { ServiceModel } from '@/lib/model/k8s';
import type { TraceResult } from '@/lib/model/trace';
import { handleDns } from '@/lib/server/dns/dns-handler';
import type { DnsResponse } from '@/lib/wire/dns';
import { buildDnsGraph, dnsToCytoscape, type DnsGraph } from './dns-graph';

const RESOLV =
  'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';
const svc = (namespace: string, name: string, ip: string, port = 80): ServiceModel => ({
  namespace,
  name,
  type: 'ClusterIP',
  clusterIPs: [ip],
  ports: [{ protocol: port === 53 ? 'UDP' : 'TCP', port }],
  externalIPs: [],
  loadBalancerIPs: [],
  loadBalancerSourceRanges: [],
});
const kubeDns = { ...svc('kube-system', 'kube-dns', '10.96.0.10', 53), labels: { 'k8s-app': 'kube-dns' } };
const edge = (g: DnsGraph, s: string, t: string) => g.edges.find((e) => e.source === s && e.target === t);
const rejectTrace: TraceResult = {
  packet: { src: '10.244.1.10', dst: '10.96.0.10', port: 53, proto: 'udp' },
  node: 'node-a',
  mode: 'iptables',
  notes: [],
  warnings: [],
  outcomes: [{ verdict: 'reject', to: null, probability: 1, masquerade: false, assumptions: [], steps: [] }],
};

/** The real handler on the provisional snapshot (captured rules, captured resolv.conf). */
function served(q: string): DnsResponse {
  process.env.KUBEPATH_SNAPSHOT = path.resolve(import.meta.dirname, '../../demo/provisional-snapshot.json');
  const r = handleDns(new URLSearchParams(q));
  expect(r.status).toBe(200);
  return r.body as DnsResponse;
}
const graphOf = (b: DnsResponse) =>
  buildDnsGraph({
    podLabel: `pod ${b.question.pod}`,
    resolvSource: b.resolv.source,
    explanation: b.explanation,
    pods: b.pods,
  });

describe('buildDnsGraph', () => {
  it('pod → resolv.conf → candidate → A/AAAA → kube-dns Service → both CoreDNS pods → kubernetes plugin → the ClusterIP answer', () => {
    const g = graphOf(served('pod=default/web-7d4b9c-x2x4q&name=cart'));
    expect(edge(g, 'pod', 'resolv')).toBeDefined();
    expect(g.nodes.find((n) => n.id === 'resolv')?.label).toContain('resolv.conf (captured)\nnameserver 10.96.0.10');
    expect(edge(g, 'resolv', 'cand:0')?.label).toBe('first');
    expect(g.nodes.find((n) => n.id === 'cand:0')?.label).toBe(
      '1. cart.default.svc.cluster.local.\n(search default.svc.cluster.local)\nA → NOERROR 10.96.30.50\nAAAA → NODATA',
    );
    expect(edge(g, 'cand:0', 'ns:10.96.0.10')?.label).toBe('A+AAAA');
    const dnat = g.edges.filter((e) => e.source === 'ns:10.96.0.10' && e.kind === 'dnat');
    expect(dnat.map((e) => e.label)).toEqual(['DNAT 50.0%', 'DNAT 50.0%']);
    expect(
      g.nodes
        .filter((n) => n.kind === 'coredns')
        .map((n) => n.label.split('\n')[0])
        .sort(),
    ).toEqual(['pod kube-system/coredns-5d78c9869d-4xkzp', 'pod kube-system/coredns-5d78c9869d-t7wql']);
    for (const e of dnat) expect(edge(g, e.target, 'via:kubernetes')).toBeDefined();
    expect(edge(g, 'via:kubernetes', 'answer')?.label).toBe('A');
    expect(edge(g, 'cand:0', 'answer')?.label).toBe('success');
    expect(g.nodes.find((n) => n.id === 'answer')).toMatchObject({ label: 'getaddrinfo → 10.96.30.50', bad: false });
  });

  it('an unknown name walks every candidate in order and ends in a failed answer', () => {
    const b = served('pod=default/web-7d4b9c-x2x4q&name=nope');
    const g = graphOf(b);
    const cands = g.nodes.filter((n) => n.kind === 'candidate').map((n) => n.label.split('\n')[0]);
    expect(cands).toEqual([
      '1. nope.default.svc.cluster.local.',
      '2. nope.svc.cluster.local.',
      '3. nope.cluster.local.',
      '4. nope.',
    ]);
    expect(edge(g, 'cand:0', 'cand:1')?.label).toBe('nxdomain → next');
    expect(
      g.nodes
        .filter((n) => n.kind === 'candidate')
        .every((n) => n.bad && /\nA → NXDOMAIN\nAAAA → NXDOMAIN$/.test(n.label)),
    ).toBe(true);
    expect(edge(g, 'cand:3', 'answer')?.kind).toBe('verdict');
    expect(g.nodes.find((n) => n.id === 'answer')).toMatchObject({
      bad: true,
      label: `getaddrinfo → ${b.explanation.status}`,
    });
    // The last candidate went upstream through CoreDNS's forward plugin.
    expect(g.nodes.some((n) => n.id === 'via:forward')).toBe(true);
  });

  it('a REJECTed nameserver packet never reaches CoreDNS: the "no answer" hangs off the Service itself', () => {
    const e = explainDnsLookup({
      resolvConf: RESOLV,
      name: 'web',
      objects: { services: [kubeDns, svc('default', 'web', '10.96.10.10')], endpointSlices: [], pods: [] },
      endpointSlicesKnown: true,
      traceNameserver: () => ({ node: 'node-a', result: rejectTrace }),
    });
    const g = buildDnsGraph({ podLabel: 'pod default/x', resolvSource: 'derived', explanation: e });
    expect(g.nodes.find((n) => n.id === 'blocked:10.96.0.10:reject')).toMatchObject({
      bad: true,
      label: 'REJECT on node-a\n100%',
    });
    expect(g.nodes.some((n) => n.kind === 'coredns')).toBe(false);
    expect(edge(g, 'ns:10.96.0.10', 'via:unreachable')?.kind).toBe('verdict');
    expect(g.nodes.find((n) => n.id === 'answer')?.bad).toBe(true);
  });

  it('a nameserver packet that could not be traced is shown as such, with the reason', () => {
    const e = explainDnsLookup({
      resolvConf: RESOLV,
      name: 'web',
      objects: { services: [kubeDns, svc('default', 'web', '10.96.10.10')], endpointSlices: [], pods: [] },
      traceNameserver: () => ({
        node: 'node-c',
        error: { kind: 'unreachable', message: 'node node-c was not collected (unreachable): ssh timeout' },
      }),
    });
    const g = buildDnsGraph({ podLabel: 'pod default/x', resolvSource: 'captured', explanation: e });
    expect(g.nodes.find((n) => n.id === 'blocked:10.96.0.10:untraced')?.label).toBe(
      'not traced on node-c\nnode node-c was not collected (unreachable): ssh timeout',
    );
    // Without endpoints known, the answer is still computed and drawn from the Service node.
    expect(edge(g, 'ns:10.96.0.10', 'via:kubernetes')).toBeDefined();
    expect(g.nodes.find((n) => n.id === 'answer')?.label).toBe('getaddrinfo → 10.96.10.10');
  });
});

describe('dnsToCytoscape', () => {
  it('emits every node once, edges only between emitted nodes, and verdict styling for failures', () => {
    const g = graphOf(served('pod=shop/frontend-6c9f8-abcde&name=nope&resolver=musl'));
    const els = dnsToCytoscape(g);
    const ids = els.filter((e) => e.group === 'nodes').map((e) => e.data.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of els.filter((x) => x.group === 'edges')) {
      expect(ids).toContain(e.data.source);
      expect(ids).toContain(e.data.target);
    }
    expect(els.find((e) => e.data.id === 'answer')?.classes).toBe('verdict dns-answer');
    expect(els.find((e) => e.data.id === 'pod')?.classes).toBe('source dns-pod');
  });
});
