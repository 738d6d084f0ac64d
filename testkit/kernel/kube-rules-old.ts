/**
 * Writes the pre-1.25 kube-proxy layout (as v1.20 did): masquerade rule in nat KUBE-SERVICES,
 * KUBE-XLB for externalTrafficPolicy=Local, KUBE-FW with KUBE-MARK-DROP for LoadBalancer source
 * ranges, kubelet's KUBE-FIREWALL dropping 0x8000-marked packets in INPUT/OUTPUT, and REJECT for
 * services without endpoints in filter KUBE-SERVICES / KUBE-EXTERNAL-SERVICES.
 *
 * Part of the kernel oracle suite's own writer (why it is separate from testkit/kube-proxy-writer:
 * kube-spec.ts). This is the only writer of the old layout; the tracer's unit tests read it from
 * the captured fixtures in lib/parse/__fixtures__.
 */
import type { HostRules, KEndpoint, KNode, KPort, KService } from './kube-spec';
import { inCidr, portName, probability, sepChain, svcHash } from './kube-spec';
import { RestoreWriter, writeMasqueradeRules } from './restore-writer';

const q = (s: string) => `"${s}"`;

/** The full restore text for `node` in the old layout. */
export function oldLayoutRules(node: KNode, host: HostRules = {}): string {
  const w = new RestoreWriter();
  if (host.forwardPolicy) w.policy('filter', 'FORWARD', host.forwardPolicy);
  writeBase(w, host);
  for (const svc of node.services) for (const port of svc.ports) writePort(w, node, svc, port);
  w.add(
    'nat',
    'KUBE-SERVICES',
    `-m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
  );
  return w.toString();
}

function writeBase(w: RestoreWriter, host: HostRules): void {
  for (const c of ['KUBE-EXTERNAL-SERVICES', 'KUBE-FIREWALL', 'KUBE-FORWARD', 'KUBE-SERVICES']) w.declare('filter', c);
  for (const c of ['KUBE-MARK-DROP', 'KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-SERVICES'])
    w.declare('nat', c);
  const neu = '-m conntrack --ctstate NEW';
  w.add('filter', 'INPUT', `${neu} -m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`);
  w.add(
    'filter',
    'INPUT',
    `${neu} -m comment --comment ${q('kubernetes externally-visible service portals')} -j KUBE-EXTERNAL-SERVICES`,
  );
  w.add('filter', 'INPUT', '-j KUBE-FIREWALL');
  for (const r of host.filterForwardFirst ?? []) w.add('filter', 'FORWARD', r);
  w.add('filter', 'FORWARD', `-m comment --comment ${q('kubernetes forwarding rules')} -j KUBE-FORWARD`);
  w.add('filter', 'FORWARD', `${neu} -m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`);
  w.add(
    'filter',
    'FORWARD',
    `${neu} -m comment --comment ${q('kubernetes externally-visible service portals')} -j KUBE-EXTERNAL-SERVICES`,
  );
  w.add('filter', 'OUTPUT', `${neu} -m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`);
  w.add('filter', 'OUTPUT', '-j KUBE-FIREWALL');
  w.add(
    'filter',
    'KUBE-FIREWALL',
    `-m comment --comment ${q('kubernetes firewall for dropping marked packets')} -m mark --mark 0x8000/0x8000 -j DROP`,
  );
  w.add(
    'filter',
    'KUBE-FIREWALL',
    `! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment ${q('block incoming localnet connections')} -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
  );
  w.add('filter', 'KUBE-FORWARD', '-m conntrack --ctstate INVALID -j DROP');
  w.add(
    'filter',
    'KUBE-FORWARD',
    `-m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark 0x4000/0x4000 -j ACCEPT`,
  );
  w.add(
    'filter',
    'KUBE-FORWARD',
    `-m comment --comment ${q('kubernetes forwarding conntrack pod source rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );
  for (const r of host.natPreroutingFirst ?? []) w.add('nat', 'PREROUTING', r);
  w.add('nat', 'PREROUTING', `-m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`);
  w.add('nat', 'OUTPUT', `-m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`);
  w.add('nat', 'POSTROUTING', `-m comment --comment ${q('kubernetes postrouting rules')} -j KUBE-POSTROUTING`);
  w.add('nat', 'KUBE-MARK-DROP', '-j MARK --or-mark 0x8000');
  writeMasqueradeRules(w);
}

function writePort(w: RestoreWriter, node: KNode, svc: KService, port: KPort): void {
  const name = portName(svc, port);
  const h = svcHash(svc, port);
  const SVC = `KUBE-SVC-${h}`,
    XLB = `KUBE-XLB-${h}`,
    FW = `KUBE-FW-${h}`;
  const proto = `-p ${port.proto} -m ${port.proto}`;
  const eps = port.endpoints;
  const local = svc.etp === 'Local';
  const reject = (comment: string, match: string, chain: string) =>
    w.add(
      'filter',
      chain,
      `${match} -m comment --comment ${q(`${name} ${comment}`)} -j REJECT --reject-with icmp-port-unreachable`,
    );

  const cip = `-d ${svc.clusterIP}/32 -p ${port.proto} -m comment --comment ${q(`${name} cluster IP`)} -m ${port.proto} --dport ${port.port}`;
  if (!eps.length) {
    reject('has no endpoints', `-d ${svc.clusterIP}/32 ${proto} --dport ${port.port}`, 'KUBE-SERVICES');
    for (const eip of svc.externalIPs ?? [])
      reject('has no endpoints', `-d ${eip}/32 ${proto} --dport ${port.port}`, 'KUBE-EXTERNAL-SERVICES');
    if (port.nodePort)
      reject(
        'has no endpoints',
        `-m addrtype --dst-type LOCAL ${proto} --dport ${port.nodePort}`,
        'KUBE-EXTERNAL-SERVICES',
      );
    return;
  }
  w.add('nat', 'KUBE-SERVICES', `! -s ${node.clusterCidr} ${cip} -j KUBE-MARK-MASQ`);
  w.add('nat', 'KUBE-SERVICES', `${cip} -j ${SVC}`);
  for (const eip of svc.externalIPs ?? []) {
    const m = `-d ${eip}/32 -p ${port.proto} -m comment --comment ${q(`${name} external IP`)} -m ${port.proto} --dport ${port.port}`;
    w.add('nat', 'KUBE-SERVICES', `${m} -j KUBE-MARK-MASQ`);
    // Traffic not coming from a bridge port (pods) and not from the node itself...
    w.add('nat', 'KUBE-SERVICES', `${m} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ${SVC}`);
    // ...or addressed to a local IP.
    w.add('nat', 'KUBE-SERVICES', `${m} -m addrtype --dst-type LOCAL -j ${SVC}`);
  }
  const chosen = local ? XLB : SVC;
  for (const lb of svc.lbIPs ?? []) {
    w.add(
      'nat',
      'KUBE-SERVICES',
      `-d ${lb}/32 -p ${port.proto} -m comment --comment ${q(`${name} loadbalancer IP`)} -m ${port.proto} --dport ${port.port} -j ${FW}`,
    );
  }
  if (svc.lbIPs?.length) {
    const c = `-m comment --comment ${q(`${name} loadbalancer IP`)}`;
    if (!local) w.add('nat', FW, `${c} -j KUBE-MARK-MASQ`);
    const ranges = svc.sourceRanges ?? [];
    if (!ranges.length) w.add('nat', FW, `${c} -j ${chosen}`);
    for (const r of ranges) w.add('nat', FW, `-s ${r} ${c} -j ${chosen}`);
    if (ranges.length && node.nodeIPs.some((n) => ranges.some((r) => inCidr(n, r))))
      for (const lb of svc.lbIPs) w.add('nat', FW, `-s ${lb}/32 ${c} -j ${chosen}`);
    // Anything not sent on above is marked and dropped by kubelet's KUBE-FIREWALL in INPUT.
    w.add('nat', FW, `${c} -j KUBE-MARK-DROP`);
  }
  if (port.nodePort) {
    const np = `-p ${port.proto} -m comment --comment ${name} -m ${port.proto} --dport ${port.nodePort}`;
    if (local) {
      w.add('nat', 'KUBE-NODEPORTS', `-s 127.0.0.0/8 ${np} -j KUBE-MARK-MASQ`);
      w.add('nat', 'KUBE-NODEPORTS', `${np} -j ${XLB}`);
    } else {
      w.add('nat', 'KUBE-NODEPORTS', `${np} -j KUBE-MARK-MASQ`);
      w.add('nat', 'KUBE-NODEPORTS', `${np} -j ${SVC}`);
    }
  }
  const sepOf = (ep: KEndpoint) => sepChain(svc, port, ep);
  writeBalancing(w, SVC, eps, () => `-m comment --comment ${q(name)}`, sepOf);
  for (const ep of eps) writeSep(w, name, port, sepChain(svc, port, ep), ep);
  if (local && (port.nodePort || svc.lbIPs?.length)) {
    w.add(
      'nat',
      XLB,
      `-s ${node.clusterCidr} -m comment --comment ${q('Redirect pods trying to reach external loadbalancer VIP to clusterIP')} -j ${SVC}`,
    );
    w.add(
      'nat',
      XLB,
      `-m comment --comment ${q(`masquerade LOCAL traffic for ${name} LB IP`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
    );
    w.add(
      'nat',
      XLB,
      `-m comment --comment ${q(`route LOCAL traffic for ${name} LB IP to service chain`)} -m addrtype --src-type LOCAL -j ${SVC}`,
    );
    const locals = eps.filter((e) => e.local);
    if (!locals.length)
      w.add('nat', XLB, `-m comment --comment ${q(`${name} has no local endpoints`)} -j KUBE-MARK-DROP`);
    else writeBalancing(w, XLB, locals, (i) => `-m comment --comment ${q(`Balancing rule ${i} for ${name}`)}`, sepOf);
  }
}

/** SVC/XLB → SEP with the 1/(n-i) statistic cascade. */
function writeBalancing(
  w: RestoreWriter,
  chain: string,
  eps: KEndpoint[],
  comment: (i: number) => string,
  sepOf: (ep: KEndpoint) => string,
): void {
  eps.forEach((ep, i) => {
    const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${probability(eps.length, i)}` : '';
    w.add('nat', chain, `${comment(i)}${stat} -j ${sepOf(ep)}`);
  });
}

function writeSep(w: RestoreWriter, name: string, port: KPort, sep: string, ep: KEndpoint): void {
  if (w.hasRules('nat', sep)) return;
  w.add('nat', sep, `-s ${ep.ip}/32 -m comment --comment ${q(name)} -j KUBE-MARK-MASQ`);
  w.add(
    'nat',
    sep,
    `-p ${port.proto} -m comment --comment ${q(name)} -m ${port.proto} -j DNAT --to-destination ${ep.ip}:${ep.port}`,
  );
}
