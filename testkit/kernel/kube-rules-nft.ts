/**
 * Writes a kube-proxy nftables-mode ruleset (`table ip kube-proxy`, v1.33+ layout of docs/kube-proxy-semantics.md
 * §4.1) for `nft -f`. nft 1.0.6 needs every statement to end with a newline or `;` before `}`,
 * so everything is one statement per line. Map elements are added after the table so every
 * chain they name already exists.
 *
 * Part of the kernel oracle suite's own writer (why it is separate: kube-spec.ts); the only
 * writer of nftables mode.
 */
import type { KNode, KPort, KService, KEndpoint } from './kube-spec';
import { nftEndpointBase, nftServiceBase, pools, portName } from './kube-spec';

/** The `nft -f` text for `node`; `nodePortIPs` fill `nodeport-ips`, `serviceCidr` the unallocated-IP drop. nft 1.0.6 rejects the
 * `dstnat` priority keyword on the output hook, so output chains use the numbers (-110, -100). */
export function nftRules(node: KNode, opts: { nodePortIPs: string[]; serviceCidr: string }): string {
  const chains: string[] = [];
  const el: Record<string, string[]> = {
    'cluster-ips': [],
    'nodeport-ips': [...opts.nodePortIPs],
    'service-ips': [],
    'service-nodeports': [],
    'firewall-ips': [],
    'no-endpoint-services': [],
    'no-endpoint-nodeports': [],
  };
  const chain = (name: string, lines: string[]) =>
    chains.push(`\tchain ${name} {\n${lines.map((l) => `\t\t${l}\n`).join('')}\t}`);
  const base = (name: string, hook: string, prio: string, type: string, lines: string[]) =>
    chain(name, [`type ${type} hook ${hook} priority ${prio}; policy accept;`, ...lines]);

  base('filter-prerouting-pre-dnat', 'prerouting', 'dstnat - 10', 'filter', ['ct state new jump firewall-check']);
  base('filter-output-pre-dnat', 'output', '-110', 'filter', ['ct state new jump firewall-check']);
  base('filter-forward', 'forward', 'filter', 'filter', [
    'ct state new jump service-endpoints-check',
    'ct state new jump cluster-ips-check',
  ]);
  base('filter-input', 'input', 'filter', 'filter', [
    'ct state new jump nodeport-endpoints-check',
    'ct state new jump service-endpoints-check',
  ]);
  base('filter-output', 'output', 'filter', 'filter', [
    'ct state new jump service-endpoints-check',
    'ct state new jump cluster-ips-check',
  ]);
  base('nat-prerouting', 'prerouting', 'dstnat', 'nat', ['jump services']);
  base('nat-output', 'output', '-100', 'nat', ['jump services']);
  base('nat-postrouting', 'postrouting', 'srcnat', 'nat', ['jump masquerading']);
  chain('firewall-check', ['ip daddr . meta l4proto . th dport vmap @firewall-ips']);
  chain('services', [
    'ip daddr . meta l4proto . th dport vmap @service-ips',
    'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
  ]);
  chain('service-endpoints-check', ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services']);
  chain('nodeport-endpoints-check', ['ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports']);
  chain('cluster-ips-check', [
    'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"',
    `ip daddr { ${opts.serviceCidr} } drop comment "Drop traffic to unallocated ClusterIPs"`,
  ]);
  chain('reject-chain', ['reject']);
  chain('mark-for-masquerade', ['mark set mark or 0x4000']);
  chain('masquerading', ['mark and 0x4000 == 0 return', 'mark set mark xor 0x4000', 'masquerade fully-random']);

  for (const svc of node.services) for (const port of svc.ports) writePort(node, svc, port, chain, el);

  const decl = (kind: 'set' | 'map', name: string, type: string, comment: string) =>
    `\t${kind} ${name} {\n\t\ttype ${type}\n\t\tcomment "${comment}"\n\t}`;
  const vk = 'ipv4_addr . inet_proto . inet_service : verdict';
  const table = [
    'table ip kube-proxy {',
    '\tcomment "rules for kube-proxy"',
    decl('set', 'cluster-ips', 'ipv4_addr', 'Active ClusterIPs'),
    decl('set', 'nodeport-ips', 'ipv4_addr', 'IPs that accept NodePort traffic'),
    decl('map', 'service-ips', vk, 'ClusterIP, ExternalIP and LoadBalancer IP traffic'),
    decl('map', 'service-nodeports', 'inet_proto . inet_service : verdict', 'NodePort traffic'),
    decl('map', 'firewall-ips', vk, 'destinations that are subject to LoadBalancerSourceRanges'),
    decl('map', 'no-endpoint-services', vk, 'vmap to drop or reject packets to services with no endpoints'),
    decl(
      'map',
      'no-endpoint-nodeports',
      'inet_proto . inet_service : verdict',
      'vmap to drop or reject packets to service nodeports with no endpoints',
    ),
    ...chains,
    '}',
  ];
  for (const [name, elements] of Object.entries(el)) {
    if (elements.length) table.push(`add element ip kube-proxy ${name} { ${elements.join(', ')} }`);
  }
  return table.join('\n') + '\n';
}

type ChainFn = (name: string, lines: string[]) => void;

function writePort(node: KNode, svc: KService, port: KPort, chain: ChainFn, el: Record<string, string[]>): void {
  const X = nftServiceBase(svc, port);
  const p = pools(svc, port);
  const name = portName(svc, port);
  const key = (ip: string) => `${ip} . ${port.proto} . ${port.port}`;
  const noEp = (local: boolean) => (p.hasEndpoints && local ? 'drop' : 'goto reject-chain');
  el['cluster-ips'].push(svc.clusterIP);
  const internal = svc.itp === 'Local' ? `local-${X}` : `service-${X}`;
  if (p.hasInternal) el['service-ips'].push(`${key(svc.clusterIP)} : goto ${internal}`);
  else el['no-endpoint-services'].push(`${key(svc.clusterIP)} comment "${name}" : ${noEp(svc.itp === 'Local')}`);
  const externalTargets = [...(svc.externalIPs ?? []), ...(svc.lbIPs ?? [])];
  const ranges = svc.sourceRanges ?? [];
  if (p.hasEndpoints && ranges.length && svc.lbIPs?.length) {
    // Checked in the pre-DNAT filter chains (priority dstnat - 10), before nat sees the packet.
    for (const lb of svc.lbIPs) el['firewall-ips'].push(`${key(lb)} : goto firewall-${X}`);
    chain(`firewall-${X}`, [`ip saddr != { ${ranges.join(', ')} } drop`]);
  }
  for (const ip of externalTargets) {
    if (p.hasEndpoints) el['service-ips'].push(`${key(ip)} : goto external-${X}`);
    if (!p.hasExternal) el['no-endpoint-services'].push(`${key(ip)} comment "${name}" : ${noEp(svc.etp === 'Local')}`);
  }
  if (port.nodePort) {
    if (p.hasEndpoints) el['service-nodeports'].push(`${port.proto} . ${port.nodePort} : goto external-${X}`);
    if (!p.hasExternal)
      el['no-endpoint-nodeports'].push(
        `${port.proto} . ${port.nodePort} comment "${name}" : ${noEp(svc.etp === 'Local')}`,
      );
  }
  if (p.hasEndpoints && p.externallyReachable) {
    if (svc.etp === 'Local') {
      const lines = [
        `ip saddr ${node.clusterCidr} goto service-${X} comment "short-circuit pod traffic"`,
        `fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"`,
        `fib saddr type local goto service-${X} comment "short-circuit local traffic"`,
      ];
      if (p.hasExternal) lines.push(`goto local-${X}`);
      chain(`external-${X}`, lines);
    } else {
      chain(`external-${X}`, ['jump mark-for-masquerade', `goto service-${X}`]);
    }
  }
  const masq = `ip daddr ${svc.clusterIP} ${port.proto} dport ${port.port} ip saddr != ${node.clusterCidr} jump mark-for-masquerade`;
  const written = new Set<string>();
  if (p.usesCluster && p.cluster.length)
    chain(`service-${X}`, [...(internal === `service-${X}` ? [masq] : []), dispatch(svc, port, p.cluster)]);
  if (p.usesLocal && p.local.length)
    chain(`local-${X}`, [...(internal === `local-${X}` ? [masq] : []), dispatch(svc, port, p.local)]);
  for (const ep of [...(p.usesCluster ? p.cluster : []), ...(p.usesLocal ? p.local : [])]) {
    const epName = nftEndpointBase(svc, port, ep);
    if (written.has(epName)) continue;
    written.add(epName);
    chain(`endpoint-${epName}`, [
      `ip saddr ${ep.ip} jump mark-for-masquerade`,
      `meta l4proto ${port.proto} dnat to ${ep.ip}:${ep.port}`,
    ]);
  }
}

/** `numgen random mod N vmap { i : goto endpoint-… }`: each endpoint with probability 1/N. */
function dispatch(svc: KService, port: KPort, eps: KEndpoint[]): string {
  const items = eps.map((ep, i) => `${i} : goto endpoint-${nftEndpointBase(svc, port, ep)}`);
  return `numgen random mod ${eps.length} vmap { ${items.join(', ')} }`;
}
