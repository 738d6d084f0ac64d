/**
 * THE production-shaped kube-proxy writer (iptables mode, the KUBE-SVC/SVL/EXT/FW layout of
 * kube-proxy v1.26–1.29 with KUBE-PROXY-FIREWALL and the filter REJECT/DROP rules): given
 * service ports with endpoints, returns the `iptables-save` text a node running kube-proxy
 * shows, byte for byte in iptables-save's canonical form (save-format.ts). Endpoint pools
 * follow kube-proxy-semantics.md §1.3, rule shapes and their order §1.4. The demo
 * (scripts/demo), the bench (parse, trace and UI sizes), the golden fixture inputs
 * (bench/fixture-services.ts) and the unit tests all write their rulesets with it, so every
 * kube-proxy-shaped dump in the repository that is not a capture comes from here.
 *
 * Why the kernel oracle suite has its own writer (testkit/kernel/kube-rules-{current,old,nft}.ts):
 * the kernel tests check the tracer's claims against the real kernel, and the tracer's unit tests
 * run on this writer's output. Were the kernel suite to use this writer too, a wrong rule here
 * (a missing masquerade, a jump to the wrong chain) would be loaded into the kernel, traced by the
 * tracer and agree with itself everywhere. The kernel writer is written separately, from a
 * different input model and in kube-proxy's restore-input form, so the same mistake would have
 * to be made twice. testkit/kernel/iptables-builder.test.ts additionally loads rulesets from THIS
 * writer into the kernel, and iptables.test.ts round-trips its output through the real
 * iptables-restore/iptables-save.
 */
import { cidrContains, isIPv6 } from '@/lib/net/ip';
import type { KubeEndpoint, KubeRulesConfig, KubeServicePort } from '@/testkit/kube-proxy-writer/model';
import { kubeHash, servicePortName } from '@/testkit/kube-proxy-writer/model';
import { Tables, cm, endpointText, renderSave, savedProbability } from '@/testkit/kube-proxy-writer/save-format';

export * from '@/testkit/kube-proxy-writer/model';
export * from '@/testkit/kube-proxy-writer/save-format';

const ready = (e: KubeEndpoint): boolean => e.ready ?? true;
const servingTerminating = (e: KubeEndpoint): boolean => (e.serving ?? ready(e)) && (e.terminating ?? false);

/** Ready endpoints, else serving+terminating ones (kube-proxy's fallback, per pool). */
function pool(eps: KubeEndpoint[]): KubeEndpoint[] {
  const r = eps.filter(ready);
  return r.length ? r : eps.filter(servingTerminating);
}

interface Ctx {
  cfg: KubeRulesConfig;
  family: 4 | 6;
  node: string;
  podCIDR: string | null;
  localhostNP: boolean;
  nodeIPs: string[];
}

/** Full iptables-save text (mangle, filter, nat) for the given service ports. */
export function buildKubeRules(services: KubeServicePort[], cfg: KubeRulesConfig = {}): string {
  const t = new Tables();
  const family = cfg.family ?? 4;
  const ctx: Ctx = {
    cfg,
    family,
    node: cfg.nodeName ?? 'test-node',
    podCIDR: cfg.podCIDR === undefined ? (family === 4 ? '10.0.0.0/8' : 'fd00:10::/64') : cfg.podCIDR,
    localhostNP: family === 4 && (cfg.localhostNodePorts ?? true),
    nodeIPs:
      cfg.nodeIPs ??
      (family === 4 ? ['192.168.0.2', '192.168.1.2', '192.168.99.11'] : ['2001:db8::1', '2001:db8:1::2']),
  };
  fixedRules(t, ctx, `0x${(1 << (cfg.masqueradeBit ?? 14)).toString(16)}`);
  for (const s of services) serviceRules(t, s, ctx);
  nodePortDispatch(t, ctx);
  return renderSave(t, {}, family);
}

/** The jumps from the built-in chains and the chains every node has (§1.1, §1.4 "Fixed rules"). */
function fixedRules(t: Tables, ctx: Ctx, markHex: string): void {
  // kube-proxy's canary chains, which it watches to notice a flushed table.
  t.ensure('mangle', 'KUBE-PROXY-CANARY');
  for (const c of [
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
    'KUBE-PROXY-CANARY',
  ])
    t.ensure('filter', c);
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', 'KUBE-PROXY-CANARY'])
    t.ensure('nat', c);
  // kube-proxy puts the conntrack match before the comment in these jumps (as on a real node).
  const ctNew = '-m conntrack --ctstate NEW';
  const lbfw = { m: [ctNew, cm('kubernetes load balancer firewall')], j: 'KUBE-PROXY-FIREWALL' };
  const extSvc = { m: [ctNew, cm('kubernetes externally-visible service portals')], j: 'KUBE-EXTERNAL-SERVICES' };
  const portals = { m: [ctNew, cm('kubernetes service portals')], j: 'KUBE-SERVICES' };
  t.add('filter', 'INPUT', lbfw);
  t.add('filter', 'INPUT', { m: [cm('kubernetes health check service ports')], j: 'KUBE-NODEPORTS' });
  t.add('filter', 'INPUT', extSvc);
  t.add('filter', 'FORWARD', lbfw);
  t.add('filter', 'FORWARD', { m: [cm('kubernetes forwarding rules')], j: 'KUBE-FORWARD' });
  t.add('filter', 'FORWARD', portals);
  t.add('filter', 'FORWARD', extSvc);
  t.add('filter', 'OUTPUT', lbfw);
  t.add('filter', 'OUTPUT', portals);
  if (ctx.family === 4 && ctx.localhostNP) {
    t.add('filter', 'INPUT', { j: 'KUBE-FIREWALL' });
    t.add('filter', 'OUTPUT', { j: 'KUBE-FIREWALL' });
    t.add('filter', 'KUBE-FIREWALL', {
      s: '127.0.0.0/8',
      notS: true,
      d: '127.0.0.0/8',
      m: [cm('block incoming localnet connections'), '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT'],
      j: 'DROP',
    });
  }
  t.add('filter', 'KUBE-FORWARD', { m: ['-m conntrack --ctstate INVALID'], j: 'DROP' });
  t.add('filter', 'KUBE-FORWARD', {
    m: [cm('kubernetes forwarding rules'), `-m mark --mark ${markHex}/${markHex}`],
    j: 'ACCEPT',
  });
  t.add('filter', 'KUBE-FORWARD', {
    m: [cm('kubernetes forwarding conntrack rule'), '-m conntrack --ctstate RELATED,ESTABLISHED'],
    j: 'ACCEPT',
  });
  t.add('nat', 'PREROUTING', { m: [cm('kubernetes service portals')], j: 'KUBE-SERVICES' });
  t.add('nat', 'OUTPUT', { m: [cm('kubernetes service portals')], j: 'KUBE-SERVICES' });
  t.add('nat', 'POSTROUTING', { m: [cm('kubernetes postrouting rules')], j: 'KUBE-POSTROUTING' });
  t.add('nat', 'KUBE-MARK-MASQ', { j: `MARK --set-xmark ${markHex}/${markHex}` });
  t.add('nat', 'KUBE-POSTROUTING', { m: [`-m mark ! --mark ${markHex}/${markHex}`], j: 'RETURN' });
  t.add('nat', 'KUBE-POSTROUTING', { j: `MARK --set-xmark ${markHex}/0x0` });
  t.add('nat', 'KUBE-POSTROUTING', {
    m: [cm('kubernetes service traffic requiring SNAT')],
    j: 'MASQUERADE --random-fully',
  });
}

/** NodePort dispatch: always the last KUBE-SERVICES rule. */
function nodePortDispatch(t: Tables, { cfg, family, localhostNP, nodeIPs }: Ctx): void {
  const npComment = cm('kubernetes service nodeports; NOTE: this must be the last rule in this chain');
  const local = '-m addrtype --dst-type LOCAL';
  if (cfg.nodePortAddresses) {
    for (const ip of [...nodeIPs, ...(localhostNP ? ['127.0.0.1'] : [])]) {
      if (!cfg.nodePortAddresses.some((c) => cidrContains(c, ip))) continue;
      if (ip.startsWith('127.') && !localhostNP) continue;
      t.add('nat', 'KUBE-SERVICES', { d: ip, m: [npComment], j: 'KUBE-NODEPORTS' });
    }
  } else if (family === 6) {
    t.add('nat', 'KUBE-SERVICES', { d: '::1/128', notD: true, m: [npComment, local], j: 'KUBE-NODEPORTS' });
  } else if (!localhostNP) {
    t.add('nat', 'KUBE-SERVICES', { d: '127.0.0.0/8', notD: true, m: [npComment, local], j: 'KUBE-NODEPORTS' });
  } else {
    t.add('nat', 'KUBE-SERVICES', { m: [npComment, local], j: 'KUBE-NODEPORTS' });
  }
}

function serviceRules(t: Tables, s: KubeServicePort, ctx: Ctx): void {
  const { cfg, podCIDR, localhostNP, nodeIPs } = ctx;
  const proto = s.proto ?? 'tcp';
  const spn = servicePortName(s);
  const hash = kubeHash(`${spn}${proto}`);
  const SVC = `KUBE-SVC-${hash}`;
  const SVL = `KUBE-SVL-${hash}`;
  const EXT = `KUBE-EXT-${hash}`;
  const FW = `KUBE-FW-${hash}`;
  const all = s.endpoints.filter((e) => ready(e) || servingTerminating(e));
  const clusterEps = pool(s.endpoints);
  const localEps = pool(s.endpoints.filter((e) => e.node !== undefined && e.node === ctx.node));
  const hasEndpoints = all.length > 0;
  const extReachable = !!s.nodePort || !!s.externalIPs?.length || !!s.lbIPs?.length;
  const itpLocal = s.itp === 'Local';
  const etpLocal = s.etp === 'Local' && extReachable;
  const usesCluster = !itpLocal || extReachable;
  const usesLocal = itpLocal || etpLocal;
  const internalChain = itpLocal ? SVL : SVC;
  const hasInternal = itpLocal ? localEps.length > 0 : hasEndpoints;
  const hasExternal = etpLocal ? localEps.length > 0 : hasEndpoints;
  const l4 = (port: number, extra: string[] = []): string[] => [...extra, `-m ${proto} --dport ${port}`];
  const reject = `REJECT --reject-with ${ctx.family === 6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable'}`;
  // No (local) endpoints: REJECT when there are none at all, DROP when only the local pool is empty.
  const noEndpoints = (chain: string, d: string | undefined, port: number, dstLocal = false): void => {
    const comment = cm(`${spn} ${hasEndpoints ? 'has no local endpoints' : 'has no endpoints'}`);
    t.add('filter', chain, {
      d,
      p: proto,
      m: l4(port, dstLocal ? [comment, '-m addrtype --dst-type LOCAL'] : [comment]),
      j: hasEndpoints ? 'DROP' : reject,
    });
  };
  // ClusterIP capture.
  if (hasInternal)
    t.add('nat', 'KUBE-SERVICES', {
      d: s.clusterIP,
      p: proto,
      m: l4(s.port, [cm(`${spn} cluster IP`)]),
      j: internalChain,
    });
  else noEndpoints('KUBE-SERVICES', s.clusterIP, s.port);
  for (const ip of s.externalIPs ?? []) {
    if (hasEndpoints)
      t.add('nat', 'KUBE-SERVICES', { d: ip, p: proto, m: l4(s.port, [cm(`${spn} external IP`)]), j: EXT });
    if (!hasExternal) noEndpoints('KUBE-EXTERNAL-SERVICES', ip, s.port);
  }
  const ranges = (s.sourceRanges ?? []).map((r) => r.trim());
  const fw = ranges.length > 0 && hasEndpoints && !!s.lbIPs?.length;
  for (const ip of s.lbIPs ?? []) {
    if (hasEndpoints)
      t.add('nat', 'KUBE-SERVICES', {
        d: ip,
        p: proto,
        m: l4(s.port, [cm(`${spn} loadbalancer IP`)]),
        j: fw ? FW : EXT,
      });
    if (fw)
      t.add('filter', 'KUBE-PROXY-FIREWALL', {
        d: ip,
        p: proto,
        m: l4(s.port, [cm(`${spn} traffic not accepted by ${FW}`)]),
        j: 'DROP',
      });
    if (!hasExternal) noEndpoints('KUBE-EXTERNAL-SERVICES', ip, s.port);
  }
  if (s.nodePort) {
    if (hasEndpoints) {
      if (localhostNP && cfg.nfacct) {
        t.add('nat', 'KUBE-NODEPORTS', {
          d: '127.0.0.0/8',
          p: proto,
          m: [cm(spn), `-m ${proto} --dport ${s.nodePort}`, '-m nfacct --nfacct-name localhost_nps_accepted_pkts'],
          j: EXT,
        });
      }
      t.add('nat', 'KUBE-NODEPORTS', { p: proto, m: l4(s.nodePort, [cm(spn)]), j: EXT });
    }
    if (!hasExternal) noEndpoints('KUBE-EXTERNAL-SERVICES', undefined, s.nodePort, true);
  }
  if (s.healthCheckNodePort) {
    t.add('filter', 'KUBE-NODEPORTS', {
      p: 'tcp',
      m: [cm(`${spn} health check node port`), `-m tcp --dport ${s.healthCheckNodePort}`],
      j: 'ACCEPT',
    });
  }
  if (!hasEndpoints) return;
  if (extReachable) {
    if (!etpLocal) {
      t.add('nat', EXT, { m: [cm(`masquerade traffic for ${spn} external destinations`)], j: 'KUBE-MARK-MASQ' });
      t.add('nat', EXT, { j: SVC });
    } else {
      // The pod short-circuit exists only with a local-traffic detector.
      if (podCIDR) t.add('nat', EXT, { s: podCIDR, m: [cm(`pod traffic for ${spn} external destinations`)], j: SVC });
      t.add('nat', EXT, {
        m: [cm(`masquerade LOCAL traffic for ${spn} external destinations`), '-m addrtype --src-type LOCAL'],
        j: 'KUBE-MARK-MASQ',
      });
      t.add('nat', EXT, {
        m: [cm(`route LOCAL traffic for ${spn} external destinations`), '-m addrtype --src-type LOCAL'],
        j: SVC,
      });
      if (localEps.length) t.add('nat', EXT, { j: SVL });
    }
  }
  if (fw) {
    for (const r of ranges) t.add('nat', FW, { s: r, m: [cm(`${spn} loadbalancer IP`)], j: EXT });
    if (nodeIPs[0] && ranges.some((r) => cidrContains(r, nodeIPs[0]))) {
      for (const ip of s.lbIPs ?? []) t.add('nat', FW, { s: ip, m: [cm(`${spn} loadbalancer IP`)], j: EXT });
    }
    t.add('nat', FW, { m: [cm(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)] });
  }
  // Off-cluster ClusterIP traffic is masqueraded by the first rule of the INTERNAL chain (SVL under ITP=Local).
  const masqRule = (chain: string): void => {
    const m = l4(s.port, [cm(`${spn} cluster IP`)]);
    if (cfg.masqueradeAll) t.add('nat', chain, { d: s.clusterIP, p: proto, m, j: 'KUBE-MARK-MASQ' });
    else if (podCIDR) t.add('nat', chain, { s: podCIDR, notS: true, d: s.clusterIP, p: proto, m, j: 'KUBE-MARK-MASQ' });
  };
  const seps = new Set<string>();
  const writeChain = (chain: string, eps: KubeEndpoint[]): void => {
    t.ensure('nat', chain);
    if (chain === internalChain) masqRule(chain);
    endpointRules(t, s, cfg, proto, spn, chain, eps, seps);
  };
  // kube-proxy writes a policy chain only when its pool is in use AND not empty.
  if (usesCluster && clusterEps.length) writeChain(SVC, clusterEps);
  if (usesLocal && localEps.length) writeChain(SVL, localEps);
}

/** SVC/SVL → SEP (affinity checks first, then the 1/(n−i) cascade) and each SEP's two rules, once. */
function endpointRules(
  t: Tables,
  s: KubeServicePort,
  cfg: KubeRulesConfig,
  proto: string,
  spn: string,
  chain: string,
  eps: KubeEndpoint[],
  seps: Set<string>,
): void {
  const named = eps.map((e) => {
    const ep = endpointText(e.ip, e.port ?? s.targetPort ?? s.port);
    return { e, ep, sep: `KUBE-SEP-${kubeHash(`${spn}${proto}${ep}`)}` };
  });
  const comment = (ep: string): string[] => (cfg.largeCluster ? [] : [cm(`${spn} -> ${ep}`)]);
  const recentMask = (ip: string): string =>
    isIPv6(ip) ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : '255.255.255.255';
  if (s.affinitySeconds) {
    for (const x of named) {
      t.add('nat', chain, {
        m: [
          ...comment(x.ep),
          `-m recent --rcheck --seconds ${s.affinitySeconds} --reap --name ${x.sep} --mask ${recentMask(x.e.ip)} --rsource`,
        ],
        j: x.sep,
      });
    }
  }
  named.forEach((x, i) => {
    const n = named.length - i;
    const stat = n > 1 ? [`-m statistic --mode random --probability ${savedProbability(n)}`] : [];
    t.add('nat', chain, { m: [...comment(x.ep), ...stat], j: x.sep });
    // A local endpoint is in both the Cluster and the Local pool but has one SEP chain.
    if (seps.has(x.sep)) return;
    seps.add(x.sep);
    const sc = cfg.largeCluster ? [] : [cm(spn)];
    t.add('nat', x.sep, { s: x.e.ip, m: sc, j: 'KUBE-MARK-MASQ' });
    const rec = s.affinitySeconds ? [`-m recent --set --name ${x.sep} --mask ${recentMask(x.e.ip)} --rsource`] : [];
    t.add('nat', x.sep, { p: proto, m: [...sc, ...rec, `-m ${proto}`], j: `DNAT --to-destination ${x.ep}` });
  });
}
