/**
 * Properties (fast-check): outcome probabilities always sum to 1 (one outcome per distinct
 * path, never merged), kube-proxy's 1/(n−i) chains give exactly 1/n, and the
 * (dst, proto, dport) chain index gives exactly the linear-scan result.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { buildKubeRules, savedProbability } from '@/testkit/kube-proxy-writer/iptables';
import { saveText } from '@/testkit/kube-proxy-writer/save-text';
import { inputsFromSave } from '@/testkit/upstream-cases/flow';
import { traceIptables } from '@/lib/trace/netfilter/trace-iptables';
import { snapProbability } from '@/lib/trace/core/outcome';

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('probabilities', () => {
  it('a service with n endpoints gives n outcomes of exactly 1/n, summing to 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const eps = Array.from({ length: n }, (_, i) => ({ ip: `10.244.${i >> 8}.${(i & 255) + 1}` }));
        const text = buildKubeRules([{ ns: 'ns', name: 's', port: 80, clusterIP: '10.96.0.9', endpoints: eps }]);
        const r = traceIptables(inputsFromSave(text), { src: '10.0.0.2', dst: '10.96.0.9', port: 80, proto: 'tcp' });
        expect(r.outcomes).toHaveLength(n);
        for (const o of r.outcomes) expect(o.probability).toBe(1 / n);
        expect(sum(r.outcomes.map((o) => o.probability))).toBeCloseTo(1, 12);
      }),
      { numRuns: 25 },
    );
  });

  it('savedProbability reproduces iptables-save 11-decimal values', () => {
    expect([2, 3, 4, 5, 6, 7, 10, 1000].map(savedProbability)).toEqual([
      '0.50000000000',
      '0.33333333349',
      '0.25000000000',
      '0.20000000019',
      '0.16666666651',
      '0.14285714272',
      '0.10000000009',
      '0.00100000016',
    ]);
    expect(snapProbability(0.33333)).toBe(0.33333);
  });

  it('arbitrary nested statistic chains: probabilities sum to 1, none merged', () => {
    // A random tree of user chains; each rule is a statistic jump, a plain jump or a verdict.
    const prob = fc.double({ min: 0.01, max: 0.99, noNaN: true }).map((p) => p.toFixed(11));
    const ruleArb = fc.oneof(
      fc.record({ kind: fc.constant('stat' as const), p: prob, to: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('verdict' as const), v: fc.constantFrom('ACCEPT', 'DROP', 'REJECT', 'RETURN') }),
      fc.record({ kind: fc.constant('dnat' as const), port: fc.integer({ min: 1, max: 65535 }) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(ruleArb, { maxLength: 5 }), { minLength: 4, maxLength: 4 }), (chains) => {
        const nat: string[] = ['-A PREROUTING -j C0'];
        chains.forEach((rules, ci) => {
          for (const r of rules) {
            // jumps only go "down" so the graph is acyclic, as iptables-restore requires
            if (r.kind === 'stat')
              nat.push(
                r.to > ci
                  ? `-A C${ci} -m statistic --mode random --probability ${r.p} -j C${r.to}`
                  : `-A C${ci} -m statistic --mode random --probability ${r.p} -j MARK --set-xmark 0x1/0x1`,
              );
            else if (r.kind === 'verdict') nat.push(`-A C${ci} -j ${r.v}`);
            else nat.push(`-A C${ci} -p tcp -j DNAT --to-destination 10.1.1.1:${r.port}`);
          }
          nat.push(`-A C${ci} -m comment --comment keep`);
        });
        const r = traceIptables(inputsFromSave(saveText({ nat }), ['192.168.0.2']), {
          src: '10.0.0.2',
          dst: '10.9.9.9',
          port: 80,
          proto: 'tcp',
        });
        expect(r.outcomes.length).toBeGreaterThan(0);
        expect(sum(r.outcomes.map((o) => o.probability))).toBeCloseTo(1, 9);
        for (const o of r.outcomes) expect(o.probability).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});

describe('chain index', () => {
  const ip = fc.constantFrom('10.96.0.1', '10.96.0.2', '10.96.0.3', '10.0.0.5', '192.168.0.2');
  const port = fc.constantFrom(80, 443, 53, 8080);
  const proto = fc.constantFrom('tcp', 'udp');
  const rule = fc.oneof(
    // keyed: -d /32 -p --dport (sometimes with extra matches, still keyed)
    fc.record({
      k: fc.constant('keyed' as const),
      d: ip,
      p: proto,
      port,
      extra: fc.constantFrom('', '! -s 10.244.0.0/16 ', '-m mark --mark 0x1/0x1 '),
    }),
    // not keyed: ranges, negations, CIDRs, no port
    fc.record({
      k: fc.constant('generic' as const),
      shape: fc.constantFrom(
        '! -d 10.96.0.1/32 -p tcp -m tcp --dport 80',
        '-p tcp -m tcp --dport 443',
        '-p udp -m comment --comment x -m udp --dport 53',
        '-d 10.96.0.0/24 -p tcp -m tcp --dport 80',
        '-p udp -m udp --dport 50:60',
        '-m addrtype --dst-type LOCAL',
        '-s 10.0.0.5/32',
        '-d 10.96.0.2/32 -p tcp',
      ),
    }),
  );
  const target = fc.constantFrom(
    'ACCEPT',
    'DROP',
    'RETURN',
    'MARK --set-xmark 0x1/0x1',
    'DNAT --to-destination 10.244.1.1:8080',
    'KUBE-MARK-MASQ',
  );
  it('indexed and linear walks give identical results', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(rule, target), { minLength: 70, maxLength: 140 }),
        ip,
        port,
        proto,
        (rules, dst, dport, pr) => {
          const nat = ['-A PREROUTING -j KUBE-SERVICES', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'];
          for (const [r, t] of rules) {
            const body = r.k === 'keyed' ? `${r.extra}-d ${r.d}/32 -p ${r.p} -m ${r.p} --dport ${r.port}` : r.shape;
            nat.push(`-A KUBE-SERVICES ${body} -j ${t}`);
          }
          const inputs = inputsFromSave(saveText({ nat }), ['192.168.0.2']);
          const packet = { src: '10.0.0.5', dst, port: dport, proto: pr as 'tcp' | 'udp' };
          const linear = traceIptables(inputs, packet, { indexMinRules: Infinity });
          const indexed = traceIptables(inputs, packet, { indexMinRules: 1 });
          expect(indexed.outcomes).toEqual(linear.outcomes);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('scale', () => {
  it('a Service with 5000 endpoints: 5000 outcomes of exactly 1/5000, no stack overflow', () => {
    const eps = Array.from({ length: 5000 }, (_, i) => ({
      ip: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${(i & 255) + 1}`,
    }));
    const text = buildKubeRules([{ ns: 'ns', name: 'big', port: 80, clusterIP: '10.96.0.9', endpoints: eps }], {
      largeCluster: true,
    });
    const r = traceIptables(inputsFromSave(text), { src: '10.0.0.2', dst: '10.96.0.9', port: 80, proto: 'tcp' });
    expect(r.outcomes).toHaveLength(5000);
    expect(new Set(r.outcomes.map((o) => o.probability))).toEqual(new Set([1 / 5000]));
    expect(r.outcomes[4999].to).toBe(`${eps[4999].ip}:80`);
    expect(r.outcomes[4999].steps.length).toBeLessThan(40);
  });
});
