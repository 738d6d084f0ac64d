/** The nftables-mode suite: kube-proxy's `table ip kube-proxy`, loaded with `nft -f`. */
import type { TopologyPlan as Topology } from '@/testkit/netns/topology';
import type { KNode } from './kube-spec';
import type { KernelCase } from './lab-case';
import { DROP, REJECT, lab } from './scenario-helpers';

export function nftServices(topo: Topology): KNode {
  const L = lab(topo);
  return {
    clusterCidr: topo.plan.clusterCidr,
    nodeIPs: [L.nodeIP],
    services: [
      {
        ns: 'default',
        name: 'web',
        clusterIP: L.cip(20),
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30020, endpoints: [L.ep('a'), L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'dns',
        clusterIP: L.cip(21),
        ports: [{ name: 'dns', proto: 'udp', port: 53, endpoints: [L.ep('a', 5353), L.ep('c', 5353)] }],
      },
      {
        ns: 'default',
        name: 'empty',
        clusterIP: L.cip(22),
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30022, endpoints: [] }],
      },
      {
        ns: 'default',
        name: 'local',
        clusterIP: L.cip(23),
        etp: 'Local',
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30023, endpoints: [L.ep('a'), L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'local-none',
        clusterIP: L.cip(24),
        etp: 'Local',
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30024, endpoints: [L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'lb',
        clusterIP: L.cip(25),
        lbIPs: [L.localVip(1)],
        sourceRanges: [topo.plan.allowedClientRange],
        ports: [{ name: 'http', proto: 'tcp', port: 80, endpoints: [L.ep('a'), L.ep('c')] }],
      },
    ],
  };
}

export function nftCases(topo: Topology): KernelCase[] {
  const L = lab(topo);
  const np = L.nodeIP;
  const tcp = (name: string, from: string, dst: string, port: number, expect: KernelCase['expect']): KernelCase => ({
    name,
    from,
    dst,
    port,
    proto: 'tcp',
    expect,
  });
  return [
    tcp('nft: pod → ClusterIP, 2 endpoints (numgen), hairpin branch masqueraded', 'pod-a', L.cip(20), 80, [
      L.to('a', 0.5, true),
      L.to('c', 0.5, false),
    ]),
    tcp('nft: client → ClusterIP, masqueraded', 'client', L.cip(20), 80, [L.to('a', 0.5, true), L.to('c', 0.5, true)]),
    tcp('nft: node → ClusterIP (nat-output)', 'node', L.cip(20), 80, [L.to('a', 0.5, true), L.to('c', 0.5, true)]),
    tcp('nft: client → NodePort', 'client', np, 30020, [L.to('a', 0.5, true), L.to('c', 0.5, true)]),
    tcp('nft: pod → NodePort', 'pod-b', np, 30020, [L.to('a', 0.5, true), L.to('c', 0.5, true)]),
    {
      name: 'nft: pod → UDP ClusterIP',
      from: 'pod-b',
      dst: L.cip(21),
      port: 53,
      proto: 'udp',
      expect: [L.to('a', 0.5, false), L.to('c', 0.5, false)],
    },
    tcp('nft: no endpoints, client → ClusterIP rejected (service-endpoints-check)', 'client', L.cip(22), 80, [REJECT]),
    tcp('nft: no endpoints, pod → ClusterIP rejected', 'pod-a', L.cip(22), 80, [REJECT]),
    tcp('nft: no endpoints, client → NodePort rejected (nodeport-endpoints-check)', 'client', np, 30022, [REJECT]),
    tcp('nft: ETP=Local, client → NodePort reaches the local endpoint only', 'client', np, 30023, [
      L.to('a', 1, false),
    ]),
    tcp('nft: ETP=Local, pod → NodePort short-circuits', 'pod-b', np, 30023, [
      L.to('a', 0.5, false),
      L.to('c', 0.5, false),
    ]),
    tcp('nft: ETP=Local without local endpoints, client → NodePort dropped', 'client', np, 30024, [DROP]),
    tcp('nft: ClusterIP on a port that is not a service port is rejected (cluster-ips-check)', 'pod-a', L.cip(20), 81, [
      REJECT,
    ]),
    tcp('nft: unallocated IP in the service CIDR is dropped', 'pod-a', L.cip(99), 80, [DROP]),
    tcp('nft: LB source ranges, allowed client', 'client', L.localVip(1), 80, [
      L.to('a', 0.5, true),
      L.to('c', 0.5, true),
    ]),
    tcp('nft: LB source ranges, blocked client dropped pre-DNAT', 'client-blocked', L.localVip(1), 80, [DROP]),
    tcp('nft: LB source ranges, pod dropped', 'pod-b', L.localVip(1), 80, [DROP]),
  ];
}

/**
 * A host firewall in its own table next to kube-proxy's: an `accept` in one base chain ends only
 * that chain; a later base chain on the same hook (higher priority number) still drops.
 */
export function hostNftTable(topo: Topology): string {
  const a = lab(topo).pod('a').ip;
  return [
    'table inet kp-hostfw {',
    '\tchain forward-early {',
    '\t\ttype filter hook forward priority -5; policy accept;',
    `\t\tip daddr ${a} tcp dport 8080 accept`,
    '\t}',
    '\tchain forward-late {',
    '\t\ttype filter hook forward priority 10; policy accept;',
    `\t\tip daddr ${a} tcp dport 8080 ct state new drop`,
    '\t}',
    '}',
    '',
  ].join('\n');
}

export function nftHostCases(topo: Topology): KernelCase[] {
  const L = lab(topo);
  return [
    {
      name: 'nft host table: accept in an early base chain does not stop a later drop',
      from: 'client',
      dst: L.cip(20),
      port: 80,
      proto: 'tcp',
      expect: [{ kind: 'timeout', p: 0.5 }, L.to('c', 0.5, true)],
    },
    {
      name: 'nft host table: node-originated traffic does not cross forward',
      from: 'node',
      dst: L.cip(20),
      port: 80,
      proto: 'tcp',
      expect: [L.to('a', 0.5, true), L.to('c', 0.5, true)],
    },
  ];
}

/** The knftables-script group: a Service with two endpoints (web) and one with none (empty). */
export function knftServices(topo: Topology): KNode {
  const all = nftServices(topo);
  return { ...all, services: all.services.filter((s) => s.name === 'web' || s.name === 'empty') };
}

/** nftCases that only need web and empty (plus the service-CIDR checks, which need no Service). */
export function knftCases(topo: Topology): KernelCase[] {
  const L = lab(topo);
  const keep = (c: KernelCase) =>
    [L.cip(20), L.cip(22), L.cip(99)].includes(c.dst) || (c.dst === L.nodeIP && [30020, 30022].includes(c.port));
  return nftCases(topo).filter(keep);
}
