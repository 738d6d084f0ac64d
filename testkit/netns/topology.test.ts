/** The lab itself: builds, serves, probes and tears down cleanly. Root only. */
import { describe, expect, it } from 'vitest';
import { isRoot, run } from './exec';
import { createTopology, planTopology } from './topology';
import { probe } from './probe';
import { liveProcesses } from './process-registry';

const SPEC = {
  pods: [
    { name: 'a', node: 1 as const },
    { name: 'c', node: 2 as const },
  ],
};

describe('planTopology (pure)', () => {
  it('names every namespace with the run prefix and gives veths Calico-style names', () => {
    const t = planTopology({ ...SPEC, hex: 'beef' });
    expect(t.ns).toEqual({ nodes: ['kpbeef-n1', 'kpbeef-n2'], client: 'kpbeef-cl', underlay: 'kpbeef-ul' });
    expect(t.pods.map((p) => p.ns)).toEqual(['kpbeef-pa', 'kpbeef-pc']);
    for (const p of t.pods) expect(p.hostVeth).toMatch(/^cali[0-9a-f]{11}$/);
    expect(t.podByLabel('pod-c')?.node).toBe(2);
  });
});

describe.skipIf(!isRoot())('createTopology (needs root; skipped otherwise)', () => {
  it('serves TCP and UDP from pods, classifies refusals, and leaves nothing behind', async () => {
    const topo = await createTopology(SPEC);
    const [a, c] = topo.pods;
    try {
      const names = (await run('ip', ['netns', 'list'])).stdout;
      for (const ns of [...topo.ns.nodes, topo.ns.client, topo.ns.underlay, a.ns, c.ns]) expect(names).toContain(ns);
      // Cross-node pod traffic over the host-gw route, no NAT: the pod sees the real source.
      expect(await probe(a.ns, { proto: 'tcp', host: c.ip, port: 8080, count: 3 })).toEqual(
        Array(3).fill({ kind: 'answered', pod: 'pod-c', seenSrc: a.ip, port: 8080 }),
      );
      expect(await probe(topo.ns.nodes[0], { proto: 'udp', host: c.ip, port: 5353, count: 2 })).toEqual(
        Array(2).fill({ kind: 'answered', pod: 'pod-c', seenSrc: topo.plan.node[0].underlay, port: 5353 }),
      );
      // Nothing listens on 9999: TCP RST and ICMP port unreachable both read as "refused".
      expect(await probe(a.ns, { proto: 'tcp', host: c.ip, port: 9999, count: 2 })).toEqual(
        Array(2).fill({ kind: 'refused', code: 'ECONNREFUSED' }),
      );
      expect(await probe(a.ns, { proto: 'udp', host: c.ip, port: 9999, count: 2 })).toEqual(
        Array(2).fill({ kind: 'refused', code: 'ECONNREFUSED' }),
      );
      // An address nobody owns (but routed): timeout.
      const svc = `10.${topo.plan.octets.service}.0.250`;
      expect(await probe(a.ns, { proto: 'tcp', host: svc, port: 80, count: 1, timeoutMs: 300 })).toEqual([
        { kind: 'timeout' },
      ]);
      // Hairpin is on for every pod port (needed for pod → own Service).
      const link = JSON.parse(
        (await run('ip', ['-n', topo.ns.nodes[0], '-d', '-j', 'link', 'show', a.hostVeth])).stdout,
      );
      expect(link[0].linkinfo.info_slave_data.hairpin).toBe(true);
    } finally {
      await topo.teardown();
      await topo.teardown(); // idempotent
    }
    const after = (await run('ip', ['netns', 'list'])).stdout;
    expect(after).not.toContain(topo.plan.prefix);
    expect(liveProcesses().filter((p) => p.what.startsWith('pod-server'))).toEqual([]);
  });
});
