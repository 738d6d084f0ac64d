/**
 * The writer against text real tools printed (no root needed):
 * - the golden iptables fixtures, captured by scripts/capture-fixtures/iptables.sh from the rules
 *   bench/fixture-services.ts writes (iptables-legacy-save, and ip6tables-save with counters);
 * - the real kube-proxy v1.20 capture in demo/demo-snapshot.json, for the rules both layouts share
 *   (the jumps from the built-in chains and the masquerade chains).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { FIXTURE_NODE, FIXTURE_SERVICES_V4, FIXTURE_SERVICES_V6 } from '@/bench/fixture-services';
import { buildKubeRules, kubeHash, savedProbability } from '@/testkit/kube-proxy-writer/iptables';

const root = path.join(import.meta.dirname, '..', '..');
const fixtures = path.join(root, 'lib', 'parse', '__fixtures__', 'iptables');

/** Table blocks (`*name` … `COMMIT`) as line lists, without comment lines and counters. */
function blocks(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let name = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    if (line.startsWith('*')) name = line.slice(1);
    (out[name] ??= []).push(line.replace(/^\[\d+:\d+\] /, '').replace(/ \[\d+:\d+\]$/, ' [0:0]'));
  }
  return out;
}

const without = (b: Record<string, string[]>, drop: string[]): Record<string, string[]> =>
  Object.fromEntries(Object.entries(b).map(([t, lines]) => [t, lines.filter((l) => !drop.includes(l))]));

/**
 * The v4 fixture's rules were written by the bench's earlier generator, which differed from
 * kube-proxy in two places this writer follows kube-proxy on (proxier.go writes the ClusterIP
 * masquerade rule into the internal chain, KUBE-SVL under ITP=Local, and declares a policy chain
 * only when its endpoint pool is not empty). Both lines are named so the check stays exact.
 */
const V4_ONLY_IN_WRITER = [
  '-A KUBE-SVL-ECOJKWUFYSTLKQWG ! -s 10.244.0.0/16 -d 10.96.10.50/32 -p tcp -m comment --comment "shop/cache cluster IP" -m tcp --dport 6379 -j KUBE-MARK-MASQ',
];
const V4_ONLY_IN_FIXTURE = [':KUBE-SVL-HQQ6RPERX4RDRESE - [0:0]'];

describe('writer == real iptables-save of the golden fixtures', () => {
  it('iptables-legacy capture of the fixture services (two named differences, see above)', () => {
    const real = blocks(readFileSync(path.join(fixtures, 'kube-proxy-current-legacy.save'), 'utf8'));
    const ours = blocks(buildKubeRules(FIXTURE_SERVICES_V4, { nodeName: FIXTURE_NODE, podCIDR: '10.244.0.0/16' }));
    for (const l of V4_ONLY_IN_WRITER) expect(ours.nat).toContain(l);
    for (const l of V4_ONLY_IN_FIXTURE) expect(real.nat).toContain(l);
    expect(without(ours, V4_ONLY_IN_WRITER)).toEqual(without(real, V4_ONLY_IN_FIXTURE));
  });

  it('ip6tables nft capture with counters (counters ignored), exactly', () => {
    const real = blocks(readFileSync(path.join(fixtures, 'kube-proxy-ipv6-nft-counters.save'), 'utf8'));
    const ours = blocks(
      buildKubeRules(FIXTURE_SERVICES_V6, { nodeName: FIXTURE_NODE, podCIDR: 'fd00:10:244::/64', family: 6 }),
    );
    expect(ours).toEqual(real);
  });

  it('kube-proxy hashes and the kernel-rounded probabilities', () => {
    expect(kubeHash('ns1/svc1:p80tcp')).toBe('XPGD46QRK7WJZT7O');
    expect(kubeHash('ns1/svc1:p80tcp10.180.0.1:80')).toBe('SXIVWICOYRO3J4NJ');
    expect([2, 3, 5, 6, 10].map(savedProbability)).toEqual([
      '0.50000000000',
      '0.33333333349',
      '0.20000000019',
      '0.16666666651',
      '0.10000000009',
    ]);
  });
});

describe('writer == real kube-proxy (v1.20 lab capture) where the layouts agree', () => {
  const snap = JSON.parse(readFileSync(path.join(root, 'demo', 'demo-snapshot.json'), 'utf8')) as ClusterSnapshot;
  const node = snap.nodes.find((n) => n.proxyMode === 'iptables' && n.captures['iptables-save']?.stdout);
  // Chains v1.20 also writes, and the built-in chains' jumps to them (KUBE-PROXY-FIREWALL, the
  // filter KUBE-NODEPORTS health-check chain and the KUBE-FORWARD conntrack comment came later).
  const shared = /^-A (INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING|KUBE-MARK-MASQ|KUBE-POSTROUTING) /;
  const later = /KUBE-PROXY-FIREWALL|KUBE-FIREWALL|health check service ports/;

  it('has a real iptables-mode capture to compare with', () => expect(node).toBeDefined());

  it('every shared fixed rule is the real text, match order included', () => {
    const real = new Set(Object.values(blocks(node!.captures['iptables-save']!.stdout)).flat());
    const ours = Object.values(blocks(buildKubeRules([])))
      .flat()
      .filter((l) => shared.test(l) && !later.test(l));
    expect(ours.length).toBeGreaterThanOrEqual(10);
    expect(ours.filter((l) => !real.has(l))).toEqual([]);
  });
});
