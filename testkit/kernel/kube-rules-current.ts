/**
 * Writes what kube-proxy (iptables mode, v1.26+ layout: KUBE-SVC/SVL/EXT/FW, KUBE-PROXY-FIREWALL,
 * filter REJECT/DROP for missing endpoints) would feed iptables-restore for a KNode.
 * Shapes follow docs/kube-proxy-semantics.md §1.4 and are emitted in kube-proxy's order.
 *
 * Part of the kernel oracle suite's own writer, kept apart from the production-shaped writer
 * (testkit/kube-proxy-writer) on purpose: see kube-spec.ts. Other kernel suites build on
 * `currentLayoutRules(node, host)`; keep its signature.
 */
import type { HostRules, KEndpoint, KNode, KPort, KService } from './kube-spec';
import { inCidr, pools, portName, probability, sepChain, svcHash } from './kube-spec';
import { RestoreWriter, writeMasqueradeRules } from './restore-writer';

const q = (s: string) => `"${s}"`;

/** The full restore text (filter + nat) for `node`, with optional host rules around it. */
export function currentLayoutRules(node: KNode, host: HostRules = {}): string {
  const w = new RestoreWriter();
  if (host.forwardPolicy) w.policy('filter', 'FORWARD', host.forwardPolicy);
  writeBase(w, host);
  for (const [chain, rules] of Object.entries(host.natChains ?? {})) for (const r of rules) w.add('nat', chain, r);
  for (const svc of node.services) for (const port of svc.ports) writePort(w, node, svc, port);
  w.add(
    'nat',
    'KUBE-SERVICES',
    `-m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
  );
  return w.toString();
}

function writeBase(w: RestoreWriter, host: HostRules): void {
  for (const c of ['KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL', 'KUBE-SERVICES'])
    w.declare('filter', c);
  for (const c of ['KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-SERVICES']) w.declare('nat', c);
  const neu = '-m conntrack --ctstate NEW';
  for (const r of host.filterInputFirst ?? []) w.add('filter', 'INPUT', r);
  w.add(
    'filter',
    'INPUT',
    `${neu} -m comment --comment ${q('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`,
  );
  w.add('filter', 'INPUT', `-m comment --comment ${q('kubernetes health check service ports')} -j KUBE-NODEPORTS`);
  w.add(
    'filter',
    'INPUT',
    `${neu} -m comment --comment ${q('kubernetes externally-visible service portals')} -j KUBE-EXTERNAL-SERVICES`,
  );
  for (const [t, byChain] of [
    ['raw', host.raw],
    ['mangle', host.mangle],
  ] as const)
    for (const [chain, rules] of Object.entries(byChain ?? {})) for (const r of rules) w.add(t, chain, r);
  for (const r of host.filterForwardFirst ?? []) w.add('filter', 'FORWARD', r);
  w.add(
    'filter',
    'FORWARD',
    `${neu} -m comment --comment ${q('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`,
  );
  w.add('filter', 'FORWARD', `-m comment --comment ${q('kubernetes forwarding rules')} -j KUBE-FORWARD`);
  w.add('filter', 'FORWARD', `${neu} -m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`);
  w.add(
    'filter',
    'FORWARD',
    `${neu} -m comment --comment ${q('kubernetes externally-visible service portals')} -j KUBE-EXTERNAL-SERVICES`,
  );
  w.add(
    'filter',
    'OUTPUT',
    `${neu} -m comment --comment ${q('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`,
  );
  w.add('filter', 'OUTPUT', `${neu} -m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`);
  w.add('filter', 'KUBE-FORWARD', '-m conntrack --ctstate INVALID -j DROP');
  w.add(
    'filter',
    'KUBE-FORWARD',
    `-m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark 0x4000/0x4000 -j ACCEPT`,
  );
  w.add(
    'filter',
    'KUBE-FORWARD',
    `-m comment --comment ${q('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );
  for (const r of host.natPreroutingFirst ?? []) w.add('nat', 'PREROUTING', r);
  w.add('nat', 'PREROUTING', `-m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`);
  w.add('nat', 'OUTPUT', `-m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`);
  for (const r of host.natPostroutingFirst ?? []) w.add('nat', 'POSTROUTING', r);
  w.add('nat', 'POSTROUTING', `-m comment --comment ${q('kubernetes postrouting rules')} -j KUBE-POSTROUTING`);
  writeMasqueradeRules(w);
}

function writePort(w: RestoreWriter, node: KNode, svc: KService, port: KPort): void {
  const name = portName(svc, port);
  const h = svcHash(svc, port);
  const SVC = `KUBE-SVC-${h}`,
    SVL = `KUBE-SVL-${h}`,
    EXT = `KUBE-EXT-${h}`,
    FW = `KUBE-FW-${h}`;
  const p = pools(svc, port);
  const proto = `-m ${port.proto} -p ${port.proto}`;
  const internalChain = svc.itp === 'Local' ? SVL : SVC;
  const externalChain = svc.etp === 'Local' ? SVL : SVC;
  const noEp = (local: boolean) =>
    p.hasEndpoints && local ? { c: 'has no local endpoints', t: 'DROP' } : { c: 'has no endpoints', t: 'REJECT' };

  // ClusterIP capture, with the off-cluster masquerade rule at the head of the internal chain.
  const cipMatch = `-m comment --comment ${q(`${name} cluster IP`)} ${proto} -d ${svc.clusterIP} --dport ${port.port}`;
  const det = node.detector ?? { mode: 'cidr' };
  if (p.hasInternal) {
    if (node.masqueradeAll) w.add('nat', internalChain, `${cipMatch} -j KUBE-MARK-MASQ`);
    else if (det.mode === 'cidr') w.add('nat', internalChain, `${cipMatch} ! -s ${node.clusterCidr} -j KUBE-MARK-MASQ`);
    else if (det.mode === 'interface') w.add('nat', internalChain, `${cipMatch} ! -i ${det.iface} -j KUBE-MARK-MASQ`);
    w.add('nat', 'KUBE-SERVICES', `${cipMatch} -j ${internalChain}`);
  } else {
    const r = noEp(svc.itp === 'Local');
    w.add(
      'filter',
      'KUBE-SERVICES',
      `-m comment --comment ${q(`${name} ${r.c}`)} ${proto} -d ${svc.clusterIP} --dport ${port.port} -j ${r.t}`,
    );
  }
  const ext = noEp(svc.etp === 'Local');
  for (const eip of svc.externalIPs ?? []) {
    if (p.hasEndpoints)
      w.add(
        'nat',
        'KUBE-SERVICES',
        `-m comment --comment ${q(`${name} external IP`)} ${proto} -d ${eip} --dport ${port.port} -j ${EXT}`,
      );
    if (!p.hasExternal)
      w.add(
        'filter',
        'KUBE-EXTERNAL-SERVICES',
        `-m comment --comment ${q(`${name} ${ext.c}`)} ${proto} -d ${eip} --dport ${port.port} -j ${ext.t}`,
      );
  }
  const ranges = svc.sourceRanges ?? [];
  for (const lb of svc.lbIPs ?? []) {
    if (p.hasEndpoints) {
      w.add(
        'nat',
        'KUBE-SERVICES',
        `-m comment --comment ${q(`${name} loadbalancer IP`)} ${proto} -d ${lb} --dport ${port.port} -j ${ranges.length ? FW : EXT}`,
      );
      if (ranges.length)
        w.add(
          'filter',
          'KUBE-PROXY-FIREWALL',
          `-m comment --comment ${q(`${name} traffic not accepted by ${FW}`)} ${proto} -d ${lb} --dport ${port.port} -j DROP`,
        );
    }
    if (!p.hasExternal)
      w.add(
        'filter',
        'KUBE-EXTERNAL-SERVICES',
        `-m comment --comment ${q(`${name} ${ext.c}`)} ${proto} -d ${lb} --dport ${port.port} -j ${ext.t}`,
      );
  }
  if (port.nodePort) {
    if (p.hasEndpoints)
      w.add('nat', 'KUBE-NODEPORTS', `-m comment --comment ${name} ${proto} --dport ${port.nodePort} -j ${EXT}`);
    if (!p.hasExternal)
      w.add(
        'filter',
        'KUBE-EXTERNAL-SERVICES',
        `-m comment --comment ${q(`${name} ${ext.c}`)} -m addrtype --dst-type LOCAL ${proto} --dport ${port.nodePort} -j ${ext.t}`,
      );
  }
  if (p.hasEndpoints && ranges.length && svc.lbIPs?.length) {
    for (const r of ranges) w.add('nat', FW, `-m comment --comment ${q(`${name} loadbalancer IP`)} -s ${r} -j ${EXT}`);
    if (node.nodeIPs.some((n) => ranges.some((r) => inCidr(n, r))))
      for (const lb of svc.lbIPs)
        w.add('nat', FW, `-m comment --comment ${q(`${name} loadbalancer IP`)} -s ${lb} -j ${EXT}`);
    w.add(
      'nat',
      FW,
      `-m comment --comment ${q(`other traffic to ${name} loadbalancer IP will be dropped by KUBE-PROXY-FIREWALL`)}`,
    );
  }
  if (p.hasEndpoints && p.externallyReachable) {
    if (svc.etp === 'Local') {
      // Without a detector there is no pod short-circuit: pods get only local endpoints too.
      const pods =
        det.mode === 'cidr' ? `-s ${node.clusterCidr}` : det.mode === 'interface' ? `-i ${det.iface}` : undefined;
      if (pods)
        w.add(
          'nat',
          EXT,
          `${pods} -m comment --comment ${q(`pod traffic for ${name} external destinations`)} -j ${SVC}`,
        );
      w.add(
        'nat',
        EXT,
        `-m comment --comment ${q(`masquerade LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      );
      w.add(
        'nat',
        EXT,
        `-m comment --comment ${q(`route LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j ${SVC}`,
      );
    } else {
      w.add(
        'nat',
        EXT,
        `-m comment --comment ${q(`masquerade traffic for ${name} external destinations`)} -j KUBE-MARK-MASQ`,
      );
    }
    if (p.hasExternal) w.add('nat', EXT, `-j ${externalChain}`);
  }
  if (p.usesCluster && p.cluster.length) writeEndpoints(w, svc, port, SVC, p.cluster);
  if (p.usesLocal && p.local.length) writeEndpoints(w, svc, port, SVL, p.local);
}

/** SVC/SVL → SEP statistic rules (1/(n-i)), and each SEP's hairpin-masquerade + DNAT. */
function writeEndpoints(w: RestoreWriter, svc: KService, port: KPort, chain: string, eps: KEndpoint[]): void {
  const name = portName(svc, port);
  eps.forEach((ep, i) => {
    const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${probability(eps.length, i)}` : '';
    w.add('nat', chain, `-m comment --comment ${q(`${name} -> ${hostPort(ep)}`)}${stat} -j ${sepChain(svc, port, ep)}`);
  });
  for (const ep of eps) writeSep(w, name, port, sepChain(svc, port, ep), ep);
}

function writeSep(w: RestoreWriter, name: string, port: KPort, sep: string, ep: KEndpoint): void {
  w.declare('nat', sep);
  // A local endpoint is in both the Cluster and the Local pool but has one SEP chain.
  if (w.hasRules('nat', sep)) return;
  w.add('nat', sep, `-m comment --comment ${name} -s ${ep.ip} -j KUBE-MARK-MASQ`);
  w.add(
    'nat',
    sep,
    `-m comment --comment ${name} -m ${port.proto} -p ${port.proto} -j DNAT --to-destination ${hostPort(ep)}`,
  );
}

/** `ip:port`, IPv6 bracketed as kube-proxy writes it. */
function hostPort(ep: KEndpoint): string {
  return ep.ip.includes(':') ? `[${ep.ip}]:${ep.port}` : `${ep.ip}:${ep.port}`;
}
