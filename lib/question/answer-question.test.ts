/**
 * The question-level answer on the demo snapshot (captured from the real-cluster lab), for the
 * questions of issue #15: the source decides the node, the path crosses nodes, and no non-answer
 * is painted as delivered.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { answerQuestion, QuestionError, type Question } from './answer-question';

const load = (): ClusterSnapshot => JSON.parse(readFileSync('demo/demo-snapshot.json', 'utf8')) as ClusterSnapshot;
const demo = load();
const ask = (q: Partial<Question> & { src: string; dst: string; port: number }, snap = demo) =>
  answerQuestion(snap, { proto: 'tcp', ...q });

/** The demo with node-2's iptables-save edited (a copy; line numbers shift as on a real node). */
function withNode2Rules(edit: (text: string) => string): ClusterSnapshot {
  const s = load();
  const c = s.nodes.find((n) => n.name === 'node-2')!.captures['iptables-save']!;
  c.stdout = edit(c.stdout);
  return s;
}

describe('answerQuestion on the demo snapshot', () => {
  it("pod edge-2 → api-metrics: traced on node-2 (edge-2's node), dropped there by the host firewall rule after DNAT to api-1", () => {
    const r = ask({ src: 'pod:default/edge-2', dst: '10.96.0.110', port: 9090 });
    expect(r.node).toBe('node-2');
    expect(r.source).toMatchObject({ kind: 'pod', home: 'node-2', whatIf: false });
    expect(r.outcomes).toHaveLength(1);
    const o = r.outcomes[0];
    expect(o.verdict).toBe('drop');
    expect(o.answer).toBe('dropped');
    expect(o.detail).toMatchObject({
      reason: 'rule-drop',
      node: 'node-2',
      nodes: ['node-2'],
      rule: {
        node: 'node-2',
        table: 'filter',
        chain: 'FORWARD',
        line: 21,
        owner: 'host-firewall',
        name: 'block api metrics',
      },
      pod: { namespace: 'default', name: 'api-1', node: 'node-2', ip: '10.244.2.3', port: 9090, exists: true },
    });
    expect(o.sentence).toBe(
      "✗ dropped on node-2 at filter FORWARD line 21 (host firewall 'block api metrics', not kube-proxy) after DNAT to default/api-1 10.244.2.3:9090 on node-2; the client times out",
    );
    // node-2's drift is about default/fanout, not this Service: named in warnings, not in this sentence.
    expect(r.warnings.some((w) => w.startsWith('node-2: kube-proxy on node-2 disagrees'))).toBe(true);
    expect(r.path.map((h) => [h.node, h.collected, h.outcomes])).toEqual([['node-2', true, [0]]]);
  });

  it('the same question forced onto node-1 is a what-if, and the packet still dies on node-2 after crossing', () => {
    const r = ask({ src: 'pod:default/edge-2', dst: '10.96.0.110', port: 9090, node: 'node-1' });
    expect(r.warnings[0]).toBe('what-if: edge-2 runs on node-2; simulating node-1');
    expect(r.source.whatIf).toBe(true);
    expect(r.path.map((h) => h.node)).toEqual(['node-1', 'node-2']);
    // node-1 DNATs (pod source: not masqueraded) and routes via node-2's address; node-2 sees a new, DNATed connection.
    expect(r.path[1].arrives).toMatchObject({ src: '10.244.2.4', dst: '10.244.2.3', port: 9090 });
    expect(r.path[1].via).toMatchObject({ fromNode: 'node-1', gateway: '172.25.70.12', device: 'eth0' });
    expect(r.path[1].steps.some((s) => s.chain === 'FORWARD' && s.line === 21 && s.effect === 'drop')).toBe(true);
    expect(r.outcomes[0]).toMatchObject({
      verdict: 'dnat',
      to: '10.244.2.3:9090',
      answer: 'dropped',
      detail: { node: 'node-2', nodes: ['node-1', 'node-2'] },
    });
  });

  it('a ClusterIP no Service owns (10.96.0.250:80) is unanswered, not ACCEPT', () => {
    const r = ask({ src: 'pod:default/client', dst: '10.96.0.250', port: 80 });
    expect(r.outcomes.map((o) => [o.verdict, o.answer, o.detail?.reason])).toEqual([
      ['accept', 'unanswered', 'no-service'],
    ]);
    expect(r.outcomes[0].sentence).toMatch(
      /^✗ no answer: 10\.96\.0\.250:80\/tcp is in the Service range but no Service owns it; node-1 does not DNAT it/,
    );
  });

  it('a Service IP on a port it does not expose (10.96.0.100:81) is unanswered', () => {
    const r = ask({ src: 'pod:default/client', dst: '10.96.0.100', port: 81 });
    expect(r.outcomes.map((o) => [o.verdict, o.answer, o.detail?.reason])).toEqual([
      ['accept', 'unanswered', 'unexposed-port'],
    ]);
    expect(r.outcomes[0].sentence).toContain('does not expose 81/tcp');
  });

  it('ETP=Local LB IP on node-2 with no local endpoint: KUBE-MARK-DROP that nothing on node-2 enforces', () => {
    const r = ask({ src: '203.0.113.9', dst: '198.51.100.11', port: 80, node: 'node-2' });
    expect(r.source.kind).toBe('address');
    expect(r.outcomes).toHaveLength(1);
    const o = r.outcomes[0];
    expect(o.answer).toBe('unanswered');
    expect(o.detail).toMatchObject({
      reason: 'mark-drop-unenforced',
      rule: {
        chain: 'KUBE-XLB-35WPSUB37BQ4DMJ5',
        line: 314,
        owner: 'kube-proxy',
        name: 'default/local-only:http has no local endpoints',
      },
    });
    expect(o.sentence).toContain('KUBE-MARK-DROP on node-2 is empty (sets no mark)');
    // node-2's drift is about default/fanout: not this Service, so not in this sentence.
    expect(o.sentence).not.toContain('lags the API');
  });

  it("the NodePort of that Service with kubelet's mark-drop rules present: dropped by kubelet's KUBE-FIREWALL", () => {
    const snap = withNode2Rules((t) =>
      t
        .replace(':KUBE-EXTERNAL-SERVICES - [0:0]', ':KUBE-EXTERNAL-SERVICES - [0:0]\n:KUBE-FIREWALL - [0:0]')
        .replace(
          '-A INPUT -m conntrack --ctstate NEW',
          '-A INPUT -j KUBE-FIREWALL\n-A INPUT -m conntrack --ctstate NEW',
        )
        .replace(
          '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
          '-A KUBE-FIREWALL -m comment --comment "kubernetes firewall for dropping marked packets" -m mark --mark 0x8000/0x8000 -j DROP\n-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
        )
        .replace(
          '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
          '-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000\n-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
        ),
    );
    const local = ask({ src: '203.0.113.9', dst: '172.25.70.12', port: 30082, node: 'node-2' }, snap);
    expect(
      local.outcomes.map((o) => [o.answer, o.detail?.reason, o.detail?.rule?.chain, o.detail?.rule?.owner]),
    ).toEqual([['dropped', 'rule-drop', 'KUBE-FIREWALL', 'kubelet']]);
    // The LB IP is forwarded: kubelet's rule sits in INPUT only, so the mark is set and still not enforced.
    const fwd = ask({ src: '203.0.113.9', dst: '198.51.100.11', port: 80, node: 'node-2' }, snap);
    expect(fwd.outcomes[0].detail?.reason).toBe('mark-drop-unenforced');
    expect(fwd.outcomes[0].sentence).toMatch(
      /the rule that drops mark 0x8000 \(filter KUBE-FIREWALL line \d+\) is not on this packet's path/,
    );
  });

  it("a node source on the IPVS node uses the node's own captured address and says where the path ends", () => {
    const r = ask({ src: 'node:node-3-ipvs', dst: '10.96.0.110', port: 9090 });
    expect(r.packet.src).toBe('172.25.70.13');
    expect(r.mode).toBe('ipvs');
    expect(r.outcomes.map((o) => [o.verdict, o.to, o.answer, o.detail?.reason])).toEqual([
      ['dnat', '10.244.2.3:9090', 'unanswered', 'no-route'],
    ]);
    expect(r.outcomes[0].sentence).toContain('node-3-ipvs has no route to it');
  });

  it("fanout from edge-2 on node-2: the stale DNAT to 10.244.1.20 (deleted pod) is its own non-answer; node-2's lag is named", () => {
    const r = ask({ src: 'pod:default/edge-2', dst: '10.96.0.111', port: 80 });
    expect(r.outcomes).toHaveLength(16);
    const stale = r.outcomes.filter((o) => o.detail?.reason === 'stale-endpoint');
    expect(stale.map((o) => [o.to, o.answer, o.probability])).toEqual([['10.244.1.20:8080', 'unanswered', 1 / 16]]);
    expect(stale[0].detail?.pod).toEqual({ ip: '10.244.1.20', port: 8080, exists: false });
    // Followed as the kernel would: node-2 routes 10.244.1.0/24 to node-1, where no pod has it.
    expect(stale[0].detail?.nodes).toEqual(['node-2', 'node-1']);
    expect(stale[0].sentence).toMatch(
      /^✗ no answer: node-2 DNATs to 10\.244\.1\.20:8080 \(default\/fanout:http\) at nat KUBE-SEP-\w+ line \d+, an address no pod has \(stale rule\)/,
    );
    expect(stale[0].sentence).toContain("node-2's kube-proxy lags the API");
    expect(r.warnings.some((w) => w.startsWith('node-2: kube-proxy on node-2 disagrees with the API'))).toBe(true);
    expect(r.outcomes.filter((o) => o.answer === 'delivered')).toHaveLength(15);
  });

  it('client (node-1) → web: the endpoint on node-2 is reached across nodes, node-2 walked as a new connection', () => {
    const r = ask({ src: 'pod:default/client', dst: '10.96.0.100', port: 80 });
    expect(r.outcomes.map((o) => [o.to, o.answer, o.detail?.nodes])).toEqual([
      ['10.244.1.2:8080', 'delivered', ['node-1']],
      ['10.244.1.3:8080', 'delivered', ['node-1']],
      ['10.244.2.2:8080', 'delivered', ['node-1', 'node-2']],
    ]);
    const hop = r.path.find((h) => h.node === 'node-2')!;
    expect(hop.outcomes).toEqual([2]);
    expect(hop.arrives).toMatchObject({ src: '10.244.1.5', dst: '10.244.2.2', port: 8080 });
    expect(hop.steps.some((s) => s.table === 'filter' && s.chain === 'FORWARD')).toBe(true);
    expect(r.outcomes[2].sentence).toBe(
      '✓ delivered to default/web-3 10.244.2.2:8080 on node-2 via node-1 → node-2 after DNAT on node-1 (default/web:http) (1/3 (33.3%) of new connections)',
    );
  });

  it('a node on the path that was not collected ends the path: not known, never delivered', () => {
    const s = load();
    const n2 = s.nodes.find((n) => n.name === 'node-2')!;
    n2.error = { kind: 'unreachable', message: 'connect ECONNREFUSED 172.25.70.12:22' };
    const r = ask({ src: 'pod:default/client', dst: '10.96.0.110', port: 9090 }, s);
    expect(r.outcomes.map((o) => [o.verdict, o.answer, o.detail?.reason, o.detail?.node])).toEqual([
      ['dnat', 'unanswered', 'not-collected', 'node-2'],
    ]);
    expect(r.outcomes[0].sentence).toMatch(/^\? not known: the packet reaches node-2, which was not collected/);
    expect(r.path.map((h) => [h.node, h.collected])).toEqual([
      ['node-1', true],
      ['node-2', false],
    ]);
    expect(r.warnings.join('\n')).toContain('node-2 was not collected (unreachable)');
  });

  it('an outside address without a node is refused (never guessed); an unknown pod is not-found', () => {
    expect(() => ask({ src: '203.0.113.9', dst: '10.96.0.100', port: 80 })).toThrow(QuestionError);
    try {
      ask({ src: '203.0.113.9', dst: '10.96.0.100', port: 80 });
    } catch (e) {
      expect((e as QuestionError).field).toBe('node');
    }
    expect(() => ask({ src: 'pod:default/nope', dst: '10.96.0.100', port: 80 })).toThrow(/unknown pod "default\/nope"/);
  });

  it('a node source forced onto another node is a what-if too', () => {
    const r = ask({ src: 'node:node-1', dst: '10.96.0.100', port: 80, node: 'node-2' });
    expect(r.warnings[0]).toBe('what-if: the source is node-1 itself; simulating its packet on node-2');
  });

  it("the source address has the destination's family; a pod without one is a clear error", () => {
    const s = load();
    s.api!.pods.find((p) => p.name === 'edge-2')!.podIPs.push('fd00:10:244:2::4');
    expect(
      answerQuestion(s, { src: 'pod:default/edge-2', dst: 'fd00:10:96::10', port: 53, proto: 'udp' }).packet.src,
    ).toBe('fd00:10:244:2::4');
    expect(
      answerQuestion(s, { src: 'pod:default/edge-2', dst: '10.96.0.110', port: 9090, proto: 'tcp' }).packet.src,
    ).toBe('10.244.2.4');
    expect(() => ask({ src: 'pod:default/client', dst: 'fd00:10:96::10', port: 53 })).toThrow(
      'pod default/client has no IPv6 address (it has 10.244.1.5)',
    );
  });

  it('a pod IP as the source is that pod: traced on its node', () => {
    const r = ask({ src: '10.244.2.4', dst: '10.96.0.110', port: 9090 });
    expect(r.node).toBe('node-2');
    expect(r.source).toMatchObject({ kind: 'pod', label: 'pod default/edge-2 (10.244.2.4)' });
  });

  it("no-endpoints Service: rejected by kube-proxy's own rule", () => {
    const r = ask({ src: 'pod:default/client', dst: '10.96.0.109', port: 80 });
    expect(r.outcomes.map((o) => [o.answer, o.detail?.reason, o.detail?.rule?.owner, o.detail?.rule?.name])).toEqual([
      ['rejected', 'rule-reject', 'kube-proxy', 'default/no-endpoints:http has no endpoints'],
    ]);
    expect(r.outcomes[0].sentence).toMatch(
      /^✗ rejected on node-1 at filter KUBE-SERVICES line \d+ \(kube-proxy 'default\/no-endpoints:http has no endpoints'\); the client sees "connection refused" at once$/,
    );
  });
});

describe('entryNodes: where an outside packet may arrive', () => {
  it('a node address arrives on that node; an LB IP on every collected node', async () => {
    const { entryNodes } = await import('./entry-nodes');
    expect(entryNodes(demo, '172.25.70.12')).toEqual(['node-2']);
    expect(entryNodes(demo, '198.51.100.11')).toEqual(['node-1', 'node-2', 'node-3-ipvs']);
  });
});

describe('the inferred Service range never swallows pod or node addresses', () => {
  it('a pod IP inside the widened range is asked directly, not called no-service', () => {
    const s = load();
    // A Service whose ClusterIP sits in the pod network's /16 widens the inferred range over the pods.
    s.api!.services.push({
      ...s.api!.services.find((x) => x.name === 'web')!,
      name: 'odd',
      clusterIPs: ['10.244.200.1'],
    });
    const r = ask({ src: 'pod:default/client', dst: '10.244.2.2', port: 8080 }, s);
    expect(r.outcomes.map((o) => [o.answer, o.detail?.reason, o.detail?.nodes])).toEqual([
      ['delivered', 'delivered', ['node-1', 'node-2']],
    ]);
  });
});

describe('overlay networks: the route names a device, the pod inventory names the node', () => {
  it("a flannel-style VXLAN route (via the peer's overlay address, not a node IP) still reaches node-2", () => {
    const s = load();
    const n1 = s.nodes.find((n) => n.name === 'node-1')!;
    const routes = JSON.parse(n1.captures['ip-route']!.stdout) as {
      dst: string;
      gateway?: string;
      dev: string;
      flags: string[];
    }[];
    const r = routes.find((x) => x.dst === '10.244.2.0/24')!;
    Object.assign(r, { gateway: '10.244.2.0', dev: 'flannel.1', flags: ['onlink'] });
    n1.captures['ip-route']!.stdout = JSON.stringify(routes);
    const addrs = JSON.parse(n1.captures['ip-addr']!.stdout) as unknown[];
    addrs.push({
      ifindex: 99,
      ifname: 'flannel.1',
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
      mtu: 1450,
      operstate: 'UNKNOWN',
      link_type: 'ether',
      address: '12:34:56:78:9a:bc',
      addr_info: [{ family: 'inet', local: '10.244.1.0', prefixlen: 32, scope: 'global', label: 'flannel.1' }],
    });
    n1.captures['ip-addr']!.stdout = JSON.stringify(addrs);
    // node-1 → web-3: the node source is masqueraded to the overlay device's address, as flannel does.
    const q = answerQuestion(s, { src: 'node:node-1', dst: '10.96.0.100', port: 80, proto: 'tcp' });
    const o = q.outcomes.find((x) => x.to === '10.244.2.2:8080')!;
    expect(o.detail?.nodes).toEqual(['node-1', 'node-2']);
    const hop = q.path.find((h) => h.node === 'node-2')!;
    expect(hop.via).toMatchObject({ fromNode: 'node-1', device: 'flannel.1', gateway: '10.244.2.0' });
    expect(hop.arrives.src).toBe('10.244.1.0');
    expect(o.answer).toBe('delivered');
  });
});

describe('a Service the API has but the node has no rule for', () => {
  it('is missing-rules on that node, not "no Service owns it"', () => {
    const s = withNode2Rules((t) =>
      t
        .split('\n')
        .filter((l) => !l.includes('default/api-metrics:metrics cluster IP'))
        .join('\n'),
    );
    const r = ask({ src: 'pod:default/edge-2', dst: '10.96.0.110', port: 9090 }, s);
    expect(r.outcomes.map((o) => [o.verdict, o.answer, o.detail?.reason])).toEqual([
      ['accept', 'unanswered', 'missing-rules'],
    ]);
    expect(r.outcomes[0].sentence).toContain('node-2 has no kube-proxy rule for it');
  });
});
