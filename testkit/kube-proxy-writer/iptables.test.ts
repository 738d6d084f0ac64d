/**
 * The production-shaped writer (iptables.ts) writes exactly what the real iptables-save prints:
 * each generated dump is loaded into a fresh network namespace with the real iptables-restore
 * (nft backend) and read back with iptables-save; the text must be identical (header comment
 * lines aside). Needs root.
 * Also checks the chain-name hashes against the values verified in kube-proxy-semantics.md §1.2.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { buildKubeRules, kubeHash } from '@/testkit/kube-proxy-writer/iptables';
import { FIXTURE_A, FIXTURE_C, FIXTURE_D, FIXTURES_E, FIXTURE_G } from '@/testkit/upstream-cases/upstream-cases';
import { FIXTURES_JK, FIXTURES_L } from '@/testkit/upstream-cases/upstream-cases-jkl';
import type { UpstreamFixture } from '@/testkit/upstream-cases/upstream-cases';

const isRoot = process.getuid?.() === 0;
const hasIptables = spawnSync('iptables-restore', ['--version']).status === 0;
const NS = `kp${randomBytes(2).toString('hex')}-rt`;
let created = false;

function roundTrip(text: string, v6: boolean): string {
  if (!created) {
    execFileSync('ip', ['netns', 'add', NS]);
    created = true;
  }
  const restore = v6 ? 'ip6tables-restore' : 'iptables-restore';
  const save = v6 ? 'ip6tables-save' : 'iptables-save';
  execFileSync('ip', ['netns', 'exec', NS, restore], { input: text });
  return execFileSync('ip', ['netns', 'exec', NS, save], { encoding: 'utf8' });
}
const body = (t: string): string =>
  t
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

afterAll(() => {
  if (created) spawnSync('ip', ['netns', 'del', NS]);
});

describe('chain-name hashes (§1.2 reference table)', () => {
  it.each([
    ['ns1/svc1:p80tcp', 'XPGD46QRK7WJZT7O'],
    ['ns5/svc5:p80tcp', 'NUKIZ6OKUXPJNT4C'],
    ['ns1/svc1:p80tcp10.180.0.1:80', 'SXIVWICOYRO3J4NJ'],
    ['ns4/svc4:p80tcp10.180.0.5:80', 'C6EBXVWJJZMIWKLZ'],
    ['ns5/svc5:p80tcp10.180.0.3:80', 'I77PXRDZVX7PMWMN'],
  ])('%s → %s', (input, hash) => expect(kubeHash(input)).toBe(hash));
});

const cases: [string, UpstreamFixture, boolean?][] = [
  ['A', FIXTURE_A],
  ['C (udp/sctp, named ports)', FIXTURE_C],
  ['D (source ranges)', FIXTURE_D],
  ['G (ETP Local)', FIXTURE_G],
  ['E v4 nodePortAddresses', FIXTURES_E[2]],
  ['E v6', FIXTURES_E[4], true],
  ['J1 terminating', FIXTURES_JK[0]],
  ['L base', FIXTURES_L[0]],
  ['L masquerade-all, no detector', FIXTURES_L[3]],
];

describe.skipIf(!isRoot || !hasIptables)(
  'builder output == real iptables-save output (needs root and iptables)',
  () => {
    it.each(cases)('%s', (_name, fx, v6) => {
      const text = buildKubeRules(fx.services, fx.config);
      expect(body(roundTrip(text, !!v6))).toBe(body(text));
    });

    it('large-cluster mode and session affinity', () => {
      const text = buildKubeRules(
        [
          {
            ns: 'ns',
            name: 'sticky',
            port: 80,
            clusterIP: '10.96.0.30',
            affinitySeconds: 10800,
            endpoints: [{ ip: '10.244.1.9' }, { ip: '10.244.2.9' }, { ip: '10.244.3.9' }],
          },
        ],
        { largeCluster: true },
      );
      expect(body(roundTrip(text, false))).toBe(body(text));
    });

    it('IPv6 no-endpoint REJECT (icmp6) and the ITP=Local masquerade rule in KUBE-SVL', () => {
      const text = buildKubeRules(
        [
          { ns: 'ns', name: 'empty', port: 80, proto: 'udp', clusterIP: 'fd00:10:96::46', endpoints: [] },
          {
            ns: 'ns',
            name: 'cache',
            port: 6379,
            clusterIP: 'fd00:10:96::50',
            itp: 'Local',
            endpoints: [
              { ip: 'fd00:10:244:1::40', node: 'test-node' },
              { ip: 'fd00:10:244:2::41', node: 'other' },
            ],
          },
        ],
        { family: 6 },
      );
      expect(text).toContain('-j REJECT --reject-with icmp6-port-unreachable');
      expect(text).toMatch(/^-A KUBE-SVL-\S+ ! -s fd00:10::\/64 -d fd00:10:96::50\/128 .*-j KUBE-MARK-MASQ$/m);
      expect(body(roundTrip(text, true))).toBe(body(text));
    });
  },
);

if (!isRoot || !hasIptables) {
  it.skip(`round-trip through real iptables skipped: ${!isRoot ? 'not root' : 'iptables-restore not installed'}`, () => {});
}
