/**
 * Writes an iptables-restore input in the shape modern kube-proxy (iptables mode, v1.26+) emits for
 * one node, following docs/kube-proxy-semantics.md §1.1-1.5. It is only the *input*:
 * the snapshot records what the kernel gives back through `iptables-save -c`.
 */
import { createHash } from 'node:crypto';
import type { ApiObjects, EndpointModel, ServiceModel, ServicePortModel } from '@/lib/model/k8s';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(buf: Buffer): string {
  let bits = 0, value = 0, out = '';
  for (const byte of buf) {
    value = (value << 8) | byte; bits += 8;
    while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}
/** kube-proxy's chain suffix: first 16 chars of base32(sha256(servicePortName + protocol [+ endpoint])). */
export function chainHash(s: string): string {
  return base32(createHash('sha256').update(s).digest()).slice(0, 16);
}

export interface RuleOptions {
  node: string;
  nodeIP: string;
  clusterCidr: string;
  /** Override endpoint IPs per `ns/name` (simulates a stale kube-proxy on this node). */
  stale?: Record<string, string[]>;
}

interface Ep { ip: string; port: number; local: boolean }

export function kubeProxyRules(api: ApiObjects, o: RuleOptions): string {
  const nat: string[] = [], filter: string[] = [], natChains = new Set<string>();
  const svcRules: string[] = [], nodePorts: string[] = [], filterSvc: string[] = [], filterExt: string[] = [], filterNp: string[] = [], filterFw: string[] = [];
  const chain = (c: string) => natChains.add(c);
  for (const s of api.services) {
    const ip = s.clusterIPs[0];
    if (s.type === 'ExternalName' || !ip || ip === 'None') continue;
    for (const p of s.ports) emitPort(s, p, ip);
  }
  function endpointsFor(s: ServiceModel, p: ServicePortModel): Ep[] {
    const slice = api.endpointSlices.filter((es) => es.namespace === s.namespace && es.service === s.name);
    const stale = o.stale?.[`${s.namespace}/${s.name}`];
    const out: Ep[] = [];
    for (const es of slice) {
      const port = es.ports.find((x) => x.name === p.name)?.port ?? p.port;
      if (stale) { for (const ip of stale) out.push({ ip, port, local: false }); continue; }
      const ready = es.endpoints.filter((e) => e.ready);
      const use: EndpointModel[] = ready.length ? ready : es.endpoints.filter((e) => e.serving && e.terminating);
      for (const e of use) out.push({ ip: e.addresses[0], port, local: e.nodeName === o.node });
    }
    return out;
  }
  function emitPort(s: ServiceModel, p: ServicePortModel, clusterIP: string): void {
    const spn = `${s.namespace}/${s.name}${p.name ? `:${p.name}` : ''}`;
    const proto = p.protocol.toLowerCase();
    const h = chainHash(spn + proto);
    const svcC = `KUBE-SVC-${h}`, svlC = `KUBE-SVL-${h}`, extC = `KUBE-EXT-${h}`, fwC = `KUBE-FW-${h}`;
    const eps = endpointsFor(s, p), local = eps.filter((e) => e.local);
    const hasEp = eps.length > 0;
    const external = s.externalIPs.length > 0 || s.loadBalancerIPs.length > 0 || !!p.nodePort;
    const intTarget = s.internalTrafficPolicy === 'Local' ? svlC : svcC;
    const hasInternal = s.internalTrafficPolicy === 'Local' ? local.length > 0 : hasEp;
    const etpLocal = s.externalTrafficPolicy === 'Local' && external;
    const hasExternal = etpLocal ? local.length > 0 : hasEp;
    const pp = `-m ${proto} -p ${proto}`;
    if (hasInternal) svcRules.push(`-A KUBE-SERVICES -m comment --comment "${spn} cluster IP" ${pp} -d ${clusterIP} --dport ${p.port} -j ${intTarget}`);
    else filterSvc.push(`-A KUBE-SERVICES -m comment --comment "${spn} has no ${hasEp ? 'local ' : ''}endpoints" ${pp} -d ${clusterIP} --dport ${p.port} -j ${hasEp ? 'DROP' : 'REJECT'}`);
    const extVerdict = hasEp ? 'DROP' : 'REJECT';
    for (const x of s.externalIPs) {
      if (hasEp) svcRules.push(`-A KUBE-SERVICES -m comment --comment "${spn} external IP" ${pp} -d ${x} --dport ${p.port} -j ${extC}`);
      if (!hasExternal) filterExt.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment "${spn} has no ${hasEp ? 'local ' : ''}endpoints" ${pp} -d ${x} --dport ${p.port} -j ${extVerdict}`);
    }
    for (const lb of s.loadBalancerIPs) {
      const fw = s.loadBalancerSourceRanges.length > 0;
      if (hasEp) svcRules.push(`-A KUBE-SERVICES -m comment --comment "${spn} loadbalancer IP" ${pp} -d ${lb} --dport ${p.port} -j ${fw ? fwC : extC}`);
      if (fw && hasEp) filterFw.push(`-A KUBE-PROXY-FIREWALL -m comment --comment "${spn} traffic not accepted by ${fwC}" ${pp} -d ${lb} --dport ${p.port} -j DROP`);
      if (!hasExternal) filterExt.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment "${spn} has no ${hasEp ? 'local ' : ''}endpoints" ${pp} -d ${lb} --dport ${p.port} -j ${extVerdict}`);
    }
    if (p.nodePort) {
      if (hasEp) nodePorts.push(`-A KUBE-NODEPORTS -m comment --comment ${spn} ${pp} --dport ${p.nodePort} -j ${extC}`);
      if (!hasExternal) filterExt.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment "${spn} has no ${hasEp ? 'local ' : ''}endpoints" -m addrtype --dst-type LOCAL ${pp} --dport ${p.nodePort} -j ${extVerdict}`);
    }
    if (s.healthCheckNodePort && p === s.ports[0]) filterNp.push(`-A KUBE-NODEPORTS -m comment --comment "${spn} health check node port" -m tcp -p tcp --dport ${s.healthCheckNodePort} -j ACCEPT`);
    if (!hasEp) return;
    if (s.loadBalancerSourceRanges.length && s.loadBalancerIPs.length) {
      chain(fwC);
      for (const r of s.loadBalancerSourceRanges) nat.push(`-A ${fwC} -m comment --comment "${spn} loadbalancer IP" -s ${r.trim()} -j ${extC}`);
      nat.push(`-A ${fwC} -m comment --comment "other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL"`);
    }
    if (external) {
      chain(extC);
      if (etpLocal) {
        nat.push(`-A ${extC} -m comment --comment "pod traffic for ${spn} external destinations" -s ${o.clusterCidr} -j ${svcC}`);
        nat.push(`-A ${extC} -m comment --comment "masquerade LOCAL traffic for ${spn} external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
        nat.push(`-A ${extC} -m comment --comment "route LOCAL traffic for ${spn} external destinations" -m addrtype --src-type LOCAL -j ${svcC}`);
        if (local.length) nat.push(`-A ${extC} -j ${svlC}`);
      } else {
        nat.push(`-A ${extC} -m comment --comment "masquerade traffic for ${spn} external destinations" -j KUBE-MARK-MASQ`);
        nat.push(`-A ${extC} -j ${svcC}`);
      }
    }
    const usesCluster = s.internalTrafficPolicy !== 'Local' || external;
    const usesLocal = s.internalTrafficPolicy === 'Local' || etpLocal;
    const seps = new Set<Ep>();
    const lb = (c: string, list: Ep[], masq: boolean) => {
      chain(c);
      if (masq) nat.push(`-A ${c} -m comment --comment "${spn} cluster IP" ${pp} -d ${clusterIP} --dport ${p.port} ! -s ${o.clusterCidr} -j KUBE-MARK-MASQ`);
      const sep = (e: Ep) => `KUBE-SEP-${chainHash(`${spn}${proto}${e.ip}:${e.port}`)}`;
      if (s.sessionAffinity === 'ClientIP') for (const e of list) nat.push(`-A ${c} -m comment --comment "${spn} -> ${e.ip}:${e.port}" -m recent --name ${sep(e)} --rcheck --seconds ${s.sessionAffinityTimeout ?? 10800} --reap -j ${sep(e)}`);
      list.forEach((e, i) => {
        const stat = i < list.length - 1 ? ` -m statistic --mode random --probability ${(1 / (list.length - i)).toFixed(10)}` : '';
        nat.push(`-A ${c} -m comment --comment "${spn} -> ${e.ip}:${e.port}"${stat} -j ${sep(e)}`);
        seps.add(e);
      });
    };
    if (usesCluster) lb(svcC, eps, true);
    if (usesLocal && local.length) lb(svlC, local, false);
    for (const e of seps) {
      const c = `KUBE-SEP-${chainHash(`${spn}${proto}${e.ip}:${e.port}`)}`;
      if (natChains.has(c)) continue;
      chain(c);
      const aff = s.sessionAffinity === 'ClientIP' ? ` -m recent --name ${c} --set` : '';
      nat.push(`-A ${c} -m comment --comment ${spn} -s ${e.ip} -j KUBE-MARK-MASQ`);
      nat.push(`-A ${c} -m comment --comment ${spn}${aff} ${pp} -j DNAT --to-destination ${e.ip}:${e.port}`);
    }
  }
  const natDecl = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', 'KUBE-PROXY-CANARY', ...natChains].map((c) => `:${c} - [0:0]`);
  return [
    '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]',
    ...['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL', 'KUBE-FIREWALL', 'KUBE-PROXY-CANARY'].map((c) => `:${c} - [0:0]`),
    '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
    '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    '-A INPUT -j KUBE-FIREWALL',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -j KUBE-FIREWALL',
    '-A KUBE-FIREWALL -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ...filterSvc, ...filterExt, ...filterNp, ...filterFw, 'COMMIT',
    '*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...natDecl,
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ...svcRules, ...nodePorts,
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ...nat, 'COMMIT', '',
  ].join('\n');
}
