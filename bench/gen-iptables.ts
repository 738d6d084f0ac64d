/**
 * Writes kube-proxy-shaped dumps (current layout, kube-proxy ≥ 1.27: KUBE-SVC/SVL/EXT/FW/SEP,
 * KUBE-PROXY-FIREWALL) in iptables-save's canonical form: chain declarations sorted
 * (built-ins first), rules grouped by chain, `-p` before matches, `/32` masks, 11-decimal
 * probabilities, `--set-xmark`. That form is also valid iptables-restore input, which is what
 * the bench feeds to `iptables-restore --test`; the fixture capture checks the shape against
 * the real iptables-save output.
 *
 * CLI: `node --import tsx bench/gen-iptables.ts SERVICES [ENDPOINTS] > dump.save`
 */
import type { ServicePortSpec } from '@/bench/kube-proxy-shape';
import { endpointString, savedProbability, sepChain, servicePortName, svcHash, syntheticServices } from '@/bench/kube-proxy-shape';

export interface GenOptions {
  podCIDR?: string;
  family?: 'ipv4' | 'ipv6';
  /** Header line; omitted when undefined. */
  generator?: string;
}

type Chains = Map<string, string[]>;

function add(chains: Chains, chain: string, rule: string): void {
  let rules = chains.get(chain);
  if (rules === undefined) chains.set(chain, (rules = []));
  rules.push(`-A ${chain} ${rule}`);
}

/** Comments go through xtables_save_string: quoted unless `[A-Za-z0-9_-]+`. */
function c(text: string): string {
  return /^[A-Za-z0-9_-]+$/.test(text) ? `-m comment --comment ${text}` : `-m comment --comment "${text}"`;
}

function host(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

function servicePort(s: ServicePortSpec, nat: Chains, filter: Chains, podCIDR: string, v6: boolean): void {
  const name = servicePortName(s);
  const h = svcHash(s);
  const p = s.protocol;
  const svc = `KUBE-SVC-${h}`;
  const svl = `KUBE-SVL-${h}`;
  const ext = `KUBE-EXT-${h}`;
  const fw = `KUBE-FW-${h}`;
  const local = s.endpoints.filter((e) => e.local);
  const hasEndpoints = s.endpoints.length > 0;
  const external = s.nodePort !== undefined || (s.externalIPs?.length ?? 0) > 0 || (s.loadBalancerIPs?.length ?? 0) > 0;
  const internalChain = s.internalTrafficLocal ? svl : svc;
  const hasInternal = s.internalTrafficLocal ? local.length > 0 : hasEndpoints;
  const hasExternal = s.externalTrafficLocal ? local.length > 0 : hasEndpoints;
  const usesSvc = hasEndpoints && (!s.internalTrafficLocal || external);
  const usesSvl = hasEndpoints && (s.internalTrafficLocal || (s.externalTrafficLocal && external));
  const reject = v6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable';
  const noEpTarget = (none: boolean) => (none ? `-j REJECT --reject-with ${reject}` : '-j DROP');
  const noEpComment = `${name} has ${hasEndpoints ? 'no local endpoints' : 'no endpoints'}`;

  if (hasInternal) add(nat, 'KUBE-SERVICES', `-d ${host(s.clusterIP)} -p ${p} ${c(`${name} cluster IP`)} -m ${p} --dport ${s.port} -j ${internalChain}`);
  else add(filter, 'KUBE-SERVICES', `-d ${host(s.clusterIP)} -p ${p} ${c(noEpComment)} -m ${p} --dport ${s.port} ${noEpTarget(!hasEndpoints)}`);
  for (const ip of s.externalIPs ?? []) {
    if (hasEndpoints) add(nat, 'KUBE-SERVICES', `-d ${host(ip)} -p ${p} ${c(`${name} external IP`)} -m ${p} --dport ${s.port} -j ${ext}`);
    if (!hasExternal) add(filter, 'KUBE-EXTERNAL-SERVICES', `-d ${host(ip)} -p ${p} ${c(noEpComment)} -m ${p} --dport ${s.port} ${noEpTarget(!hasEndpoints)}`);
  }
  for (const ip of s.loadBalancerIPs ?? []) {
    const ranges = s.sourceRanges ?? [];
    if (hasEndpoints) add(nat, 'KUBE-SERVICES', `-d ${host(ip)} -p ${p} ${c(`${name} loadbalancer IP`)} -m ${p} --dport ${s.port} -j ${ranges.length ? fw : ext}`);
    if (hasEndpoints && ranges.length) add(filter, 'KUBE-PROXY-FIREWALL', `-d ${host(ip)} -p ${p} ${c(`${name} traffic not accepted by ${fw}`)} -m ${p} --dport ${s.port} -j DROP`);
    if (!hasExternal) add(filter, 'KUBE-EXTERNAL-SERVICES', `-d ${host(ip)} -p ${p} ${c(noEpComment)} -m ${p} --dport ${s.port} ${noEpTarget(!hasEndpoints)}`);
  }
  if (s.nodePort !== undefined) {
    if (hasEndpoints) add(nat, 'KUBE-NODEPORTS', `-p ${p} ${c(name)} -m ${p} --dport ${s.nodePort} -j ${ext}`);
    if (!hasExternal) add(filter, 'KUBE-EXTERNAL-SERVICES', `-p ${p} ${c(noEpComment)} -m addrtype --dst-type LOCAL -m ${p} --dport ${s.nodePort} ${noEpTarget(!hasEndpoints)}`);
  }
  if (s.healthCheckNodePort !== undefined) add(filter, 'KUBE-NODEPORTS', `-p tcp ${c(`${name} health check node port`)} -m tcp --dport ${s.healthCheckNodePort} -j ACCEPT`);
  if (!hasEndpoints) return;

  if (external) {
    if (!s.externalTrafficLocal) {
      add(nat, ext, `${c(`masquerade traffic for ${name} external destinations`)} -j KUBE-MARK-MASQ`);
      add(nat, ext, `-j ${svc}`);
    } else {
      add(nat, ext, `-s ${podCIDR} ${c(`pod traffic for ${name} external destinations`)} -j ${svc}`);
      add(nat, ext, `${c(`masquerade LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
      add(nat, ext, `${c(`route LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j ${svc}`);
      if (local.length) add(nat, ext, `-j ${svl}`);
    }
  }
  if (s.sourceRanges?.length && s.loadBalancerIPs?.length) {
    for (const r of s.sourceRanges) add(nat, fw, `-s ${r} ${c(`${name} loadbalancer IP`)} -j ${ext}`);
    add(nat, fw, c(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`));
  }
  const lb = (chain: string, eps: ServicePortSpec['endpoints']) => {
    if (s.affinitySeconds !== undefined) {
      for (const e of eps) {
        const sep = sepChain(s, e);
        add(nat, chain, `${c(`${name} -> ${endpointString(e)}`)} -m recent --rcheck --seconds ${s.affinitySeconds} --reap --name ${sep} --mask 255.255.255.255 --rsource -j ${sep}`);
      }
    }
    eps.forEach((e, i) => {
      const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${savedProbability(1 / (eps.length - i))}` : '';
      add(nat, chain, `${c(`${name} -> ${endpointString(e)}`)}${stat} -j ${sepChain(s, e)}`);
    });
  };
  if (usesSvc) {
    add(nat, svc, `! -s ${podCIDR} -d ${host(s.clusterIP)} -p ${p} ${c(`${name} cluster IP`)} -m ${p} --dport ${s.port} -j KUBE-MARK-MASQ`);
    lb(svc, s.endpoints);
  }
  if (usesSvl) {
    if (local.length) lb(svl, local);
    else nat.set(svl, nat.get(svl) ?? []);
  }
  const seps = new Set([...(usesSvc ? s.endpoints : []), ...(usesSvl ? local : [])]);
  for (const e of seps) {
    const sep = sepChain(s, e);
    add(nat, sep, `-s ${host(e.ip)} ${c(name)} -j KUBE-MARK-MASQ`);
    const recent = s.affinitySeconds !== undefined ? ` -m recent --set --name ${sep} --mask 255.255.255.255 --rsource` : '';
    add(nat, sep, `-p ${p} ${c(name)}${recent} -m ${p} -j DNAT --to-destination ${endpointString(e)}`);
  }
}

const BUILTINS: Record<'nat' | 'filter' | 'mangle', string[]> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

function renderTable(table: 'nat' | 'filter' | 'mangle', chains: Chains, out: string[], generator?: string): void {
  const builtins = BUILTINS[table];
  const user = [...chains.keys()].filter((k) => !builtins.includes(k)).sort();
  if (generator) out.push(generator);
  out.push(`*${table}`);
  for (const b of builtins) out.push(`:${b} ACCEPT [0:0]`);
  for (const u of user) out.push(`:${u} - [0:0]`);
  for (const k of [...builtins, ...user]) out.push(...(chains.get(k) ?? []));
  out.push('COMMIT');
  if (generator) out.push(`# Completed on ${generator.slice(generator.indexOf(' on ') + 4)}`);
}

/** Renders the full mangle/filter/nat dump for these service ports. */
export function generateKubeProxyDump(services: ServicePortSpec[], opts: GenOptions = {}): string {
  const v6 = opts.family === 'ipv6';
  const podCIDR = opts.podCIDR ?? (v6 ? 'fd00:10:244::/64' : '10.244.0.0/16');
  const nat: Chains = new Map();
  const filter: Chains = new Map();
  const mangle: Chains = new Map([['KUBE-PROXY-CANARY', []]]);
  const portals = c('kubernetes service portals');
  add(nat, 'PREROUTING', `${portals} -j KUBE-SERVICES`);
  add(nat, 'OUTPUT', `${portals} -j KUBE-SERVICES`);
  add(nat, 'POSTROUTING', `${c('kubernetes postrouting rules')} -j KUBE-POSTROUTING`);
  add(nat, 'KUBE-MARK-MASQ', '-j MARK --set-xmark 0x4000/0x4000');
  add(nat, 'KUBE-POSTROUTING', '-m mark ! --mark 0x4000/0x4000 -j RETURN');
  add(nat, 'KUBE-POSTROUTING', '-j MARK --set-xmark 0x4000/0x0');
  add(nat, 'KUBE-POSTROUTING', `${c('kubernetes service traffic requiring SNAT')} -j MASQUERADE --random-fully`);
  nat.set('KUBE-PROXY-CANARY', []);
  nat.set('KUBE-NODEPORTS', []);
  const fwall = `-m conntrack --ctstate NEW ${c('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`;
  const extSvc = `-m conntrack --ctstate NEW ${c('kubernetes externally-visible service portals')} -j KUBE-EXTERNAL-SERVICES`;
  add(filter, 'INPUT', fwall);
  add(filter, 'INPUT', `${c('kubernetes health check service ports')} -j KUBE-NODEPORTS`);
  add(filter, 'INPUT', extSvc);
  add(filter, 'FORWARD', fwall);
  add(filter, 'FORWARD', `${c('kubernetes forwarding rules')} -j KUBE-FORWARD`);
  add(filter, 'FORWARD', `-m conntrack --ctstate NEW ${portals} -j KUBE-SERVICES`);
  add(filter, 'FORWARD', extSvc);
  add(filter, 'OUTPUT', fwall);
  add(filter, 'OUTPUT', `-m conntrack --ctstate NEW ${portals} -j KUBE-SERVICES`);
  if (!v6) {
    add(filter, 'INPUT', '-j KUBE-FIREWALL');
    add(filter, 'OUTPUT', '-j KUBE-FIREWALL');
    add(filter, 'KUBE-FIREWALL', `! -s 127.0.0.0/8 -d 127.0.0.0/8 ${c('block incoming localnet connections')} -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`);
  }
  add(filter, 'KUBE-FORWARD', '-m conntrack --ctstate INVALID -j DROP');
  add(filter, 'KUBE-FORWARD', `${c('kubernetes forwarding rules')} -m mark --mark 0x4000/0x4000 -j ACCEPT`);
  add(filter, 'KUBE-FORWARD', `${c('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  for (const k of ['KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-CANARY', 'KUBE-PROXY-FIREWALL', 'KUBE-SERVICES']) filter.set(k, filter.get(k) ?? []);
  for (const s of services) servicePort(s, nat, filter, podCIDR, v6);
  const lastRule = v6 ? '! -d ::1/128 ' : '';
  add(nat, 'KUBE-SERVICES', `${lastRule}${c('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`);
  const out: string[] = [];
  renderTable('mangle', mangle, out, opts.generator);
  renderTable('filter', filter, out, opts.generator);
  renderTable('nat', nat, out, opts.generator);
  return `${out.join('\n')}\n`;
}

/** Convenience for the bench: `count` synthetic services × `endpoints` endpoints each. */
export function generateSyntheticDump(count: number, endpoints = 5): string {
  return generateKubeProxyDump(syntheticServices(count, endpoints), {
    generator: '# Generated by iptables-save v1.8.9 (nf_tables) on Sun Nov 22 00:00:00 2026',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 1000);
  const eps = Number(process.argv[3] ?? 5);
  process.stdout.write(generateSyntheticDump(count, eps));
}
