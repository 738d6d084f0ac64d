/**
 * IPv6 (ip6tables) suite on a dual-stack topology: the current kube-proxy layout written with
 * IPv6 ClusterIPs and endpoints (DNAT to `[ip]:port`), loaded with ip6tables-restore.
 */
import type { TopologyPlan as Topology, TopologySpec } from '@/testkit/netns/topology';
import { clusterIP6 } from '@/testkit/netns/addressing';
import type { KEndpoint, KNode } from './kube-spec';
import type { ExpectedOutcome } from './prediction';
import type { KernelCase } from './lab-case';
import { DROP, REJECT } from './scenario-helpers';

export const DUAL_STACK_PODS: TopologySpec = {
  pods: [
    { name: 'a', node: 1 },
    { name: 'b', node: 1 },
    { name: 'c', node: 2 },
  ],
  ipv6: true,
};

function v6lab(t: Topology) {
  const pod = (name: string) => {
    const p = t.pods.find((x) => x.name === name);
    if (!p?.ip6) throw new Error(`pod ${name} has no IPv6 address`);
    return { ...p, ip6: p.ip6 };
  };
  return {
    pod,
    cip: (n: number) => clusterIP6(t.plan, n),
    nodeIP: t.plan.v6.node[0].underlay,
    ep: (name: string, port = 8080): KEndpoint => ({ ip: pod(name).ip6, port, local: pod(name).node === 1 }),
    to: (name: string, p: number, masq: boolean): ExpectedOutcome => ({
      pod: pod(name).label,
      ip: pod(name).ip6,
      p,
      masq,
    }),
  };
}

export function ipv6Services(t: Topology): KNode {
  const L = v6lab(t);
  return {
    clusterCidr: t.plan.v6.clusterCidr,
    nodeIPs: [L.nodeIP],
    services: [
      {
        ns: 'default',
        name: 'web',
        clusterIP: L.cip(0x10),
        ports: [
          { name: 'http', proto: 'tcp', port: 80, nodePort: 30080, endpoints: [L.ep('a'), L.ep('b'), L.ep('c')] },
        ],
      },
      {
        ns: 'default',
        name: 'dns',
        clusterIP: L.cip(0x11),
        ports: [{ name: 'dns', proto: 'udp', port: 53, endpoints: [L.ep('a', 5353), L.ep('c', 5353)] }],
      },
      {
        ns: 'default',
        name: 'empty',
        clusterIP: L.cip(0x13),
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30013, endpoints: [] }],
      },
      {
        ns: 'default',
        name: 'local',
        clusterIP: L.cip(0x14),
        etp: 'Local',
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30014, endpoints: [L.ep('a'), L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'local-none',
        clusterIP: L.cip(0x15),
        etp: 'Local',
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30015, endpoints: [L.ep('c')] }],
      },
    ],
  };
}

const third = 1 / 3;

/**
 * Measured on this kernel: a TCP SYN rejected with icmp6-port-unreachable is NOT refused at once —
 * the client's first ICMPv6 error does not abort the SYN_SENT socket (the node counts
 * Icmp6OutDestUnreachs, the client Icmp6InDestUnreachs), and `connect` fails with ECONNREFUSED on
 * the retransmitted SYN about 1.0 s later (bash /dev/tcp: "Connection refused" after 1095 ms).
 * IPv4 and UDP over IPv6 are refused at once. So IPv6 TCP cases wait 2.5 s: a REJECT is still
 * "refused", a DROP still a timeout (its SYNs keep being retransmitted).
 */
const V6_TCP_TIMEOUT_MS = 2500;

export function ipv6Cases(t: Topology): KernelCase[] {
  const L = v6lab(t);
  const tcp = (name: string, from: string, dst: string, port: number, expect: KernelCase['expect']): KernelCase => ({
    name,
    from,
    dst,
    port,
    proto: 'tcp',
    family: 6,
    expect,
    timeoutMs: V6_TCP_TIMEOUT_MS,
  });
  return [
    tcp('IPv6: pod → ClusterIP, hairpin branch masqueraded', 'pod-a', L.cip(0x10), 80, [
      L.to('a', third, true),
      L.to('b', third, false),
      L.to('c', third, false),
    ]),
    tcp(
      'IPv6: client → ClusterIP, masqueraded',
      'client',
      L.cip(0x10),
      80,
      ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
    ),
    tcp(
      'IPv6: node → ClusterIP (nat OUTPUT)',
      'node',
      L.cip(0x10),
      80,
      ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
    ),
    tcp(
      'IPv6: client → NodePort on the node IPv6 address',
      'client',
      L.nodeIP,
      30080,
      ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
    ),
    {
      name: 'IPv6: pod → UDP ClusterIP',
      from: 'pod-b',
      dst: L.cip(0x11),
      port: 53,
      proto: 'udp',
      family: 6,
      expect: [L.to('a', 0.5, false), L.to('c', 0.5, false)],
    },
    tcp('IPv6: no endpoints → REJECT (icmp6 port unreachable)', 'pod-a', L.cip(0x13), 80, [REJECT]),
    tcp('IPv6: no endpoints, client → NodePort REJECT', 'client', L.nodeIP, 30013, [REJECT]),
    tcp('IPv6: ETP=Local, client → NodePort reaches the local endpoint only', 'client', L.nodeIP, 30014, [
      L.to('a', 1, false),
    ]),
    tcp('IPv6: ETP=Local without local endpoints → DROP', 'client', L.nodeIP, 30015, [DROP]),
  ];
}
