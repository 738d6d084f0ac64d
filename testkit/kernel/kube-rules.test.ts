/**
 * The ruleset writers: kube-proxy's chain hashes (reference values from docs/kube-proxy-semantics.md,
 * which were checked against upstream fixtures), and every writer's output accepted by the real
 * `iptables-restore --test` / `nft -c -f` (root).
 */
import { describe, expect, it } from 'vitest';
import { isRoot, nsRun, run } from '@/testkit/netns/exec';
import { newRunHex } from '@/testkit/netns/addressing';
import { registerNamespace, unregisterNamespace } from '@/testkit/netns/process-registry';
import { planTopology } from '@/testkit/netns/topology';
import { STANDARD_PODS } from './kernel-suite';
import type { KService } from './kube-spec';
import { nftEndpointBase, nftServiceBase, pools, probability, sepChain, svcHash } from './kube-spec';
import { currentLayoutRules } from './kube-rules-current';
import { oldLayoutRules } from './kube-rules-old';
import { nftRules } from './kube-rules-nft';
import { standardServices } from './scenarios-current';
import { oldServices } from './scenarios-old';
import { nftServices } from './scenarios-nft';

const svc = (ns: string, name: string): KService => ({
  ns,
  name,
  clusterIP: '172.30.0.41',
  ports: [{ name: 'p80', proto: 'tcp', port: 80, endpoints: [] }],
});

describe('kube-proxy hashing', () => {
  it.each([
    ['ns1', 'svc1', 'XPGD46QRK7WJZT7O'],
    ['ns2', 'svc2', 'GNZBNJ2PO5MGZ6GT'],
    ['ns6', 'svc6', 'NDY5GL2HU4YWCI7Q'],
  ])('%s/%s:p80 tcp → %s', (ns, name, hash) => {
    const s = svc(ns, name);
    expect(svcHash(s, s.ports[0])).toBe(hash);
  });

  it('SEP and nft names', () => {
    const s = svc('ns1', 'svc1');
    expect(sepChain(s, s.ports[0], { ip: '10.180.0.1', port: 80, local: false })).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
    expect(nftServiceBase(s, s.ports[0])).toBe('ULMVA6XW-ns1/svc1/tcp/p80');
    const web: KService = {
      ns: 'default',
      name: 'web',
      clusterIP: '10.96.0.20',
      ports: [{ name: 'http', proto: 'tcp', port: 80, endpoints: [] }],
    };
    expect(nftServiceBase(web, web.ports[0])).toBe('SUSTUHLJ-default/web/tcp/http');
    expect(nftEndpointBase(web, web.ports[0], { ip: '10.244.1.5', port: 8080, local: true })).toBe(
      'HGNPOIJ5-default/web/tcp/http__10.244.1.5/8080',
    );
  });

  it('writes 1/(n-i) with 10 decimals, as kube-proxy does', () => {
    expect([probability(3, 0), probability(3, 1), probability(7, 0)]).toEqual([
      '0.3333333333',
      '0.5000000000',
      '0.1428571429',
    ]);
  });
});

describe('endpoint pools (docs/kube-proxy-semantics.md §1.3)', () => {
  const ep = (local: boolean) => ({ ip: local ? '10.0.0.1' : '10.0.1.1', port: 80, local });
  it('ETP=Local without local endpoints has endpoints but no external ones', () => {
    const p = pools(
      { ...svc('a', 'b'), etp: 'Local', ports: [] },
      { proto: 'tcp', port: 80, nodePort: 30000, endpoints: [ep(false)] },
    );
    expect(p).toMatchObject({ hasEndpoints: true, hasExternal: false, hasInternal: true, usesLocal: true });
  });
  it('ITP=Local with only remote endpoints has no internal ones', () => {
    const p = pools({ ...svc('a', 'b'), itp: 'Local' }, { proto: 'tcp', port: 80, endpoints: [ep(false)] });
    expect(p).toMatchObject({ hasEndpoints: true, hasInternal: false, usesCluster: false });
  });
});

describe('ruleset shapes', () => {
  const t = planTopology({ ...STANDARD_PODS, hex: '0a0b' });
  const cur = currentLayoutRules(standardServices(t));
  it('current layout: no-endpoint REJECT in filter, ETP=Local-without-local DROP, KUBE-FW last rule has no target', () => {
    expect(cur).toMatch(/-A KUBE-SERVICES -m comment --comment "default\/empty:http has no endpoints" .* -j REJECT/);
    expect(cur).toMatch(
      /-A KUBE-EXTERNAL-SERVICES -m comment --comment "default\/local-none:http has no local endpoints" -m addrtype --dst-type LOCAL .*--dport 30015 -j DROP/,
    );
    expect(cur).toMatch(
      /-A KUBE-FW-\w+ -m comment --comment "other traffic to default\/lb:http loadbalancer IP will be dropped by KUBE-PROXY-FIREWALL"\n/,
    );
    expect(cur).not.toMatch(/KUBE-SVL-\w+ .*local-none/);
  });
  it('old layout: KUBE-XLB, KUBE-MARK-DROP and the masquerade rule in KUBE-SERVICES', () => {
    const old = oldLayoutRules(oldServices(t));
    expect(old).toMatch(/-A KUBE-XLB-\w+ .*has no local endpoints" -j KUBE-MARK-DROP/);
    expect(old).toMatch(
      /-A KUBE-SERVICES ! -s 10\.\d+\.0\.0\/16 -d [\d.]+\/32 -p tcp .*cluster IP" .* -j KUBE-MARK-MASQ/,
    );
    expect(old).toContain(
      '-A KUBE-FIREWALL -m comment --comment "kubernetes firewall for dropping marked packets" -m mark --mark 0x8000/0x8000 -j DROP',
    );
  });
});

describe.skipIf(!isRoot())('writers are accepted by the real tools (needs root; skipped otherwise)', () => {
  const t = planTopology({ ...STANDARD_PODS, hex: newRunHex() });
  it('iptables-restore --test and nft -c -f', async () => {
    const ns = `${t.plan.prefix}-rt`;
    await run('ip', ['netns', 'add', ns]);
    registerNamespace(ns);
    try {
      for (const text of [
        currentLayoutRules(standardServices(t)),
        oldLayoutRules(oldServices(t)),
        currentLayoutRules(standardServices(t), { forwardPolicy: 'DROP' }),
      ]) {
        const r = await nsRun(ns, 'iptables-restore', ['--test'], { input: text, allowFail: true });
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      const nft = nftRules(nftServices(t), { nodePortIPs: [t.plan.node[0].underlay], serviceCidr: t.plan.serviceCidr });
      const r = await nsRun(ns, 'nft', ['-c', '-f', '-'], { input: nft, allowFail: true });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      await run('ip', ['netns', 'del', ns], { allowFail: true });
      unregisterNamespace(ns);
    }
  });
});
