/**
 * Builder for kube-proxy iptables-mode dumps (tests, kernel tests, bench): given service ports
 * with endpoints and policies, returns the iptables-save text kube-proxy's rules produce,
 * following docs/kube-proxy-semantics.md §1.3 (endpoint pools) and §1.4 (rule shapes and order).
 */
import { cidrContains, isIPv6 } from '@/lib/net/ip';
import type { KubeEndpoint, KubeRulesConfig, KubeServicePort } from '@/testkit/kube-rules/kube-rules-format';
import { Tables, cm, kubeHash, renderSave, savedProbability, servicePortName, endpointText } from '@/testkit/kube-rules/kube-rules-format';

export * from '@/testkit/kube-rules/kube-rules-format';

const ready = (e: KubeEndpoint): boolean => e.ready ?? true;
const servingTerminating = (e: KubeEndpoint): boolean => (e.serving ?? ready(e)) && (e.terminating ?? false);

/** Ready endpoints, else serving+terminating ones (kube-proxy's fallback, per pool). */
function pool(eps: KubeEndpoint[]): KubeEndpoint[] {
  const r = eps.filter(ready);
  return r.length ? r : eps.filter(servingTerminating);
}

/** Full iptables-save text for the given service ports. */
export function buildKubeRules(services: KubeServicePort[], cfg: KubeRulesConfig = {}): string {
  const t = new Tables();
  const family = cfg.family ?? 4;
  const node = cfg.nodeName ?? 'test-node';
  const podCIDR = cfg.podCIDR === undefined ? (family === 4 ? '10.0.0.0/8' : 'fd00:10::/64') : cfg.podCIDR;
  const localhostNP = family === 4 && (cfg.localhostNodePorts ?? true);
  const markHex = `0x${(1 << (cfg.masqueradeBit ?? 14)).toString(16)}`;
  const nodeIPs = cfg.nodeIPs ?? (family === 4 ? ['192.168.0.2', '192.168.1.2', '192.168.99.11'] : ['2001:db8::1', '2001:db8:1::2']);
  fixedRules(t, cfg, family, localhostNP, markHex);
  for (const s of services) serviceRules(t, s, cfg, node, podCIDR, localhostNP, nodeIPs);
  // NodePort dispatch is always the last KUBE-SERVICES rule.
  const npComment = cm('kubernetes service nodeports; NOTE: this must be the last rule in this chain');
  if (cfg.nodePortAddresses) {
    const ips = [...nodeIPs, ...(localhostNP ? ['127.0.0.1'] : [])];
    for (const ip of ips) {
      if (!cfg.nodePortAddresses.some((c) => cidrContains(c, ip))) continue;
      if (ip.startsWith('127.') && !localhostNP) continue;
      t.add('nat', 'KUBE-SERVICES', { d: ip, m: [npComment], j: 'KUBE-NODEPORTS' });
    }
  } else if (family === 6) {
    t.add('nat', 'KUBE-SERVICES', { d: '::1/128', notD: true, m: [npComment, '-m addrtype --dst-type LOCAL'], j: 'KUBE-NODEPORTS' });
  } else if (!localhostNP) {
    t.add('nat', 'KUBE-SERVICES', { d: '127.0.0.0/8', notD: true, m: [npComment, '-m addrtype --dst-type LOCAL'], j: 'KUBE-NODEPORTS' });
  } else {
    t.add('nat', 'KUBE-SERVICES', { m: [npComment, '-m addrtype --dst-type LOCAL'], j: 'KUBE-NODEPORTS' });
  }
  return renderSave(t, {}, family);
}

function fixedRules(t: Tables, cfg: KubeRulesConfig, family: 4 | 6, localhostNP: boolean, markHex: string): void {
  for (const c of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL', 'KUBE-PROXY-CANARY']) t.ensure('filter', c);
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', 'KUBE-PROXY-CANARY']) t.ensure('nat', c);
  const ctNew = '-m conntrack --ctstate NEW';
  const lbfw = { m: [cm('kubernetes load balancer firewall'), ctNew], j: 'KUBE-PROXY-FIREWALL' };
  t.add('filter', 'INPUT', lbfw);
  t.add('filter', 'INPUT', { m: [cm('kubernetes health check service ports')], j: 'KUBE-NODEPORTS' });
  t.add('filter', 'INPUT', { m: [cm('kubernetes externally-visible service portals'), ctNew], j: 'KUBE-EXTERNAL-SERVICES' });
  t.add('filter', 'FORWARD', lbfw);
  t.add('filter', 'FORWARD', { m: [cm('kubernetes forwarding rules')], j: 'KUBE-FORWARD' });
  t.add('filter', 'FORWARD', { m: [cm('kubernetes service portals'), ctNew], j: 'KUBE-SERVICES' });
  t.add('filter', 'FORWARD', { m: [cm('kubernetes externally-visible service portals'), ctNew], j: 'KUBE-EXTERNAL-SERVICES' });
  t.add('filter', 'OUTPUT', lbfw);
  t.add('filter', 'OUTPUT', { m: [cm('kubernetes service portals'), ctNew], j: 'KUBE-SERVICES' });
  if (family === 4 && localhostNP) {
    t.add('filter', 'INPUT', { j: 'KUBE-FIREWALL' });
    t.add('filter', 'OUTPUT', { j: 'KUBE-FIREWALL' });
    t.add('filter', 'KUBE-FIREWALL', { s: '127.0.0.0/8', notS: true, d: '127.0.0.0/8', m: [cm('block incoming localnet connections'), '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT'], j: 'DROP' });
  }
  t.add('filter', 'KUBE-FORWARD', { m: ['-m conntrack --ctstate INVALID'], j: 'DROP' });
  t.add('filter', 'KUBE-FORWARD', { m: [cm('kubernetes forwarding rules'), `-m mark --mark ${markHex}/${markHex}`], j: 'ACCEPT' });
  t.add('filter', 'KUBE-FORWARD', { m: [cm('kubernetes forwarding conntrack rule'), '-m conntrack --ctstate RELATED,ESTABLISHED'], j: 'ACCEPT' });
  t.add('nat', 'PREROUTING', { m: [cm('kubernetes service portals')], j: 'KUBE-SERVICES' });
  t.add('nat', 'OUTPUT', { m: [cm('kubernetes service portals')], j: 'KUBE-SERVICES' });
  t.add('nat', 'POSTROUTING', { m: [cm('kubernetes postrouting rules')], j: 'KUBE-POSTROUTING' });
  t.add('nat', 'KUBE-MARK-MASQ', { j: `MARK --set-xmark ${markHex}/${markHex}` });
  t.add('nat', 'KUBE-POSTROUTING', { m: [`-m mark ! --mark ${markHex}/${markHex}`], j: 'RETURN' });
  t.add('nat', 'KUBE-POSTROUTING', { j: `MARK --set-xmark ${markHex}/0x0` });
  t.add('nat', 'KUBE-POSTROUTING', { m: [cm('kubernetes service traffic requiring SNAT')], j: 'MASQUERADE --random-fully' });
  void cfg;
}

function serviceRules(t: Tables, s: KubeServicePort, cfg: KubeRulesConfig, node: string, podCIDR: string | null, localhostNP: boolean, nodeIPs: string[]): void {
  const proto = s.proto ?? 'tcp';
  const spn = servicePortName(s);
  const hash = kubeHash(`${spn}${proto}`);
  const SVC = `KUBE-SVC-${hash}`;
  const SVL = `KUBE-SVL-${hash}`;
  const EXT = `KUBE-EXT-${hash}`;
  const FW = `KUBE-FW-${hash}`;
  const all = s.endpoints.filter((e) => ready(e) || servingTerminating(e));
  const clusterEps = pool(s.endpoints);
  const localEps = pool(s.endpoints.filter((e) => e.node !== undefined && e.node === node));
  const hasEndpoints = all.length > 0;
  const extReachable = !!s.nodePort || !!s.externalIPs?.length || !!s.lbIPs?.length;
  const itpLocal = s.itp === 'Local';
  const etpLocal = s.etp === 'Local' && extReachable;
  const usesCluster = !itpLocal || extReachable;
  const usesLocal = itpLocal || etpLocal;
  const internalChain = itpLocal ? SVL : SVC;
  const hasInternal = itpLocal ? localEps.length > 0 : hasEndpoints;
  const externalChain = etpLocal ? SVL : SVC;
  const hasExternal = etpLocal ? localEps.length > 0 : hasEndpoints;
  const l4 = (port: number, extra: string[] = []): string[] => [...extra, `-m ${proto} --dport ${port}`];
  const noEpsDrop = (chain: string, d: string | undefined, port: number, dstLocal = false, forInternal = false): void => {
    const none = !hasEndpoints;
    const comment = cm(`${spn} ${none ? 'has no endpoints' : 'has no local endpoints'}`);
    const m = dstLocal ? [comment, '-m addrtype --dst-type LOCAL'] : [comment];
    t.add('filter', chain, { d, p: proto, m: l4(port, m), j: none ? 'REJECT --reject-with icmp-port-unreachable' : 'DROP' });
    void forInternal;
  };
  // ClusterIP capture.
  if (hasInternal) t.add('nat', 'KUBE-SERVICES', { d: s.clusterIP, p: proto, m: l4(s.port, [cm(`${spn} cluster IP`)]), j: internalChain });
  else noEpsDrop('KUBE-SERVICES', s.clusterIP, s.port);
  for (const ip of s.externalIPs ?? []) {
    if (hasEndpoints) t.add('nat', 'KUBE-SERVICES', { d: ip, p: proto, m: l4(s.port, [cm(`${spn} external IP`)]), j: EXT });
    if (!hasExternal) noEpsDrop('KUBE-EXTERNAL-SERVICES', ip, s.port);
  }
  const ranges = (s.sourceRanges ?? []).map((r) => r.trim());
  const fw = ranges.length > 0 && hasEndpoints && !!s.lbIPs?.length;
  for (const ip of s.lbIPs ?? []) {
    if (hasEndpoints) t.add('nat', 'KUBE-SERVICES', { d: ip, p: proto, m: l4(s.port, [cm(`${spn} loadbalancer IP`)]), j: fw ? FW : EXT });
    if (fw) t.add('filter', 'KUBE-PROXY-FIREWALL', { d: ip, p: proto, m: l4(s.port, [cm(`${spn} traffic not accepted by ${FW}`)]), j: 'DROP' });
    if (!hasExternal) noEpsDrop('KUBE-EXTERNAL-SERVICES', ip, s.port);
  }
  if (s.nodePort) {
    if (hasEndpoints) {
      if (localhostNP && cfg.nfacct) {
        t.add('nat', 'KUBE-NODEPORTS', { d: '127.0.0.0/8', p: proto, m: [cm(spn), `-m ${proto} --dport ${s.nodePort}`, '-m nfacct --nfacct-name localhost_nps_accepted_pkts'], j: EXT });
      }
      t.add('nat', 'KUBE-NODEPORTS', { p: proto, m: l4(s.nodePort, [cm(spn)]), j: EXT });
    }
    if (!hasExternal) noEpsDrop('KUBE-EXTERNAL-SERVICES', undefined, s.nodePort, true);
  }
  if (s.healthCheckNodePort) {
    t.add('filter', 'KUBE-NODEPORTS', { p: 'tcp', m: [cm(`${spn} health check node port`), `-m tcp --dport ${s.healthCheckNodePort}`], j: 'ACCEPT' });
  }
  if (!hasEndpoints) return;
  // Internal masquerade rule: the first rule of the internal chain.
  const masqRule = (chain: string): void => {
    const m = l4(s.port, [cm(`${spn} cluster IP`)]);
    if (cfg.masqueradeAll) t.add('nat', chain, { d: s.clusterIP, p: proto, m, j: 'KUBE-MARK-MASQ' });
    else if (podCIDR) t.add('nat', chain, { s: podCIDR, notS: true, d: s.clusterIP, p: proto, m, j: 'KUBE-MARK-MASQ' });
  };
  if (extReachable) {
    if (!etpLocal) {
      t.add('nat', EXT, { m: [cm(`masquerade traffic for ${spn} external destinations`)], j: 'KUBE-MARK-MASQ' });
      t.add('nat', EXT, { j: SVC });
    } else {
      if (podCIDR) t.add('nat', EXT, { s: podCIDR, m: [cm(`pod traffic for ${spn} external destinations`)], j: SVC });
      t.add('nat', EXT, { m: [cm(`masquerade LOCAL traffic for ${spn} external destinations`), '-m addrtype --src-type LOCAL'], j: 'KUBE-MARK-MASQ' });
      t.add('nat', EXT, { m: [cm(`route LOCAL traffic for ${spn} external destinations`), '-m addrtype --src-type LOCAL'], j: SVC });
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
  const seps = new Set<string>();
  const writeChain = (chain: string, eps: KubeEndpoint[], withMasq: boolean): void => {
    t.ensure('nat', chain);
    if (withMasq) masqRule(chain);
    const named = eps.map((e) => {
      const port = e.port ?? s.targetPort ?? s.port;
      const ep = endpointText(e.ip, port);
      return { e, port, ep, sep: `KUBE-SEP-${kubeHash(`${spn}${proto}${ep}`)}` };
    });
    const comment = (ep: string): string[] => (cfg.largeCluster ? [] : [cm(`${spn} -> ${ep}`)]);
    if (s.affinitySeconds) {
      for (const x of named) {
        t.add('nat', chain, { m: [...comment(x.ep), `-m recent --rcheck --seconds ${s.affinitySeconds} --reap --name ${x.sep} --mask ${isIPv6(x.e.ip) ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : '255.255.255.255'} --rsource`], j: x.sep });
      }
    }
    named.forEach((x, i) => {
      const n = named.length - i;
      const stat = n > 1 ? [`-m statistic --mode random --probability ${savedProbability(n)}`] : [];
      t.add('nat', chain, { m: [...comment(x.ep), ...stat], j: x.sep });
      if (seps.has(x.sep)) return;
      seps.add(x.sep);
      const sc = cfg.largeCluster ? [] : [cm(spn)];
      t.add('nat', x.sep, { s: x.e.ip, m: sc, j: 'KUBE-MARK-MASQ' });
      const rec = s.affinitySeconds ? [`-m recent --set --name ${x.sep} --mask ${isIPv6(x.e.ip) ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : '255.255.255.255'} --rsource`] : [];
      t.add('nat', x.sep, { p: proto, m: [...sc, ...rec, `-m ${proto}`], j: `DNAT --to-destination ${x.ep}` });
    });
  };
  if (usesCluster && clusterEps.length) writeChain(SVC, clusterEps, !itpLocal);
  if (usesLocal && localEps.length) writeChain(SVL, localEps, itpLocal);
}
