/**
 * The current-layout suite: one KNode with ten Services covering every shape of docs/kube-proxy-semantics.md §1.4
 * and §5 (ClusterIP, NodePort, externalIP, LB with source ranges, ETP/ITP Local with and without
 * local endpoints, hairpin, multi-port TCP+UDP, no endpoints), and the cases sent through it.
 */
import type { TopologyPlan as Topology } from '@/testkit/netns/topology';
import type { KNode } from './kube-spec';
import type { KernelCase } from './lab-case';
import { DROP, REJECT, lab } from './scenario-helpers';

/** Services on node 1 (pods a, b local; c on node 2). Shared with the old-layout suite. */
export function standardServices(topo: Topology): KNode {
  const L = lab(topo);
  return {
    clusterCidr: topo.plan.clusterCidr,
    nodeIPs: [L.nodeIP, ...topo.localVips],
    services: [
      {
        ns: 'default',
        name: 'web',
        clusterIP: L.cip(10),
        ports: [
          { name: 'http', proto: 'tcp', port: 80, nodePort: 30080, endpoints: [L.ep('a'), L.ep('b'), L.ep('c')] },
        ],
      },
      {
        ns: 'default',
        name: 'dns',
        clusterIP: L.cip(11),
        ports: [
          { name: 'dns-udp', proto: 'udp', port: 53, nodePort: 30053, endpoints: [L.ep('a', 5353), L.ep('c', 5353)] },
          { name: 'http', proto: 'tcp', port: 80, endpoints: [L.ep('a'), L.ep('c')] },
        ],
      },
      {
        ns: 'default',
        name: 'hair',
        clusterIP: L.cip(12),
        ports: [{ proto: 'tcp', port: 80, endpoints: [L.ep('a')] }],
      },
      {
        ns: 'default',
        name: 'empty',
        clusterIP: L.cip(13),
        ports: [
          { name: 'http', proto: 'tcp', port: 80, nodePort: 30013, endpoints: [] },
          { name: 'dns', proto: 'udp', port: 53, endpoints: [] },
        ],
      },
      {
        ns: 'default',
        name: 'local',
        clusterIP: L.cip(14),
        etp: 'Local',
        externalIPs: [L.vip(1)],
        lbIPs: [L.localVip(1)],
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30014, endpoints: [L.ep('a'), L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'local-none',
        clusterIP: L.cip(15),
        etp: 'Local',
        externalIPs: [L.vip(2)],
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30015, endpoints: [L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'itp',
        clusterIP: L.cip(16),
        itp: 'Local',
        ports: [{ proto: 'tcp', port: 80, endpoints: [L.ep('a'), L.ep('b'), L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'itp-none',
        clusterIP: L.cip(17),
        itp: 'Local',
        ports: [{ proto: 'tcp', port: 80, endpoints: [L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'lb',
        clusterIP: L.cip(18),
        lbIPs: [L.localVip(2)],
        sourceRanges: [topo.plan.allowedClientRange],
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30018, endpoints: [L.ep('a'), L.ep('b')] }],
      },
      {
        ns: 'default',
        name: 'ext',
        clusterIP: L.cip(19),
        externalIPs: [L.vip(3)],
        ports: [{ name: 'http', proto: 'tcp', port: 80, endpoints: [L.ep('b'), L.ep('c')] }],
      },
    ],
  };
}

const third = 1 / 3;

/** Cases for the current layout (expectations from docs/kube-proxy-semantics.md §1.5, §2.4 and §5). */
export function currentCases(topo: Topology): KernelCase[] {
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
  const udp = (name: string, from: string, dst: string, port: number, expect: KernelCase['expect']): KernelCase => ({
    name,
    from,
    dst,
    port,
    proto: 'udp',
    expect,
  });
  return [
    tcp('pod → ClusterIP, 3 endpoints; own endpoint hairpin-masqueraded', 'pod-a', L.cip(10), 80, [
      L.to('a', third, true),
      L.to('b', third, false),
      L.to('c', third, false),
    ]),
    tcp('other pod → ClusterIP, 3 endpoints', 'pod-b', L.cip(10), 80, [
      L.to('a', third, false),
      L.to('b', third, true),
      L.to('c', third, false),
    ]),
    tcp('node → ClusterIP (nat OUTPUT), masqueraded', 'node', L.cip(10), 80, [
      L.to('a', third, true),
      L.to('b', third, true),
      L.to('c', third, true),
    ]),
    tcp('outside client → ClusterIP, masqueraded', 'client', L.cip(10), 80, [
      L.to('a', third, true),
      L.to('b', third, true),
      L.to('c', third, true),
    ]),
    tcp('outside client → NodePort', 'client', np, 30080, [
      L.to('a', third, true),
      L.to('b', third, true),
      L.to('c', third, true),
    ]),
    tcp('pod → NodePort on node IP', 'pod-b', np, 30080, [
      L.to('a', third, true),
      L.to('b', third, true),
      L.to('c', third, true),
    ]),
    tcp('node → its own NodePort', 'node', np, 30080, [
      L.to('a', third, true),
      L.to('b', third, true),
      L.to('c', third, true),
    ]),
    udp('pod → multi-port service, UDP port', 'pod-a', L.cip(11), 53, [L.to('a', 0.5, true), L.to('c', 0.5, false)]),
    tcp('pod → multi-port service, TCP port', 'pod-b', L.cip(11), 80, [L.to('a', 0.5, false), L.to('c', 0.5, false)]),
    udp('outside client → multi-port service UDP ClusterIP', 'client', L.cip(11), 53, [
      L.to('a', 0.5, true),
      L.to('c', 0.5, true),
    ]),
    udp('outside client → UDP NodePort', 'client', np, 30053, [L.to('a', 0.5, true), L.to('c', 0.5, true)]),
    tcp('multi-port service: TCP to the UDP-only port is untouched', 'pod-b', L.cip(11), 53, [DROP]),
    tcp('hairpin: only endpoint is the sender', 'pod-a', L.cip(12), 80, [L.to('a', 1, true)]),
    tcp('single endpoint from another pod', 'pod-b', L.cip(12), 80, [L.to('a', 1, false)]),
    tcp('no endpoints: pod → ClusterIP is rejected', 'pod-a', L.cip(13), 80, [REJECT]),
    tcp('no endpoints: client → NodePort is rejected', 'client', np, 30013, [REJECT]),
    tcp('no endpoints: node → ClusterIP is rejected (filter OUTPUT)', 'node', L.cip(13), 80, [REJECT]),
    tcp('no endpoints: client → ClusterIP is rejected (filter FORWARD)', 'client', L.cip(13), 80, [REJECT]),
    udp('no endpoints: UDP is rejected too (ICMP port unreachable)', 'pod-a', L.cip(13), 53, [REJECT]),
    tcp('ETP=Local: client → externalIP reaches only the local endpoint, no SNAT', 'client', L.vip(1), 80, [
      L.to('a', 1, false),
    ]),
    tcp('ETP=Local: client → NodePort, local endpoint only, no SNAT', 'client', np, 30014, [L.to('a', 1, false)]),
    tcp('ETP=Local: client → LB VIP held by the node', 'client', L.localVip(1), 80, [L.to('a', 1, false)]),
    tcp('ETP=Local: pod → externalIP short-circuits to all endpoints', 'pod-b', L.vip(1), 80, [
      L.to('a', 0.5, false),
      L.to('c', 0.5, false),
    ]),
    tcp('ETP=Local: pod → NodePort short-circuits to all endpoints', 'pod-b', np, 30014, [
      L.to('a', 0.5, false),
      L.to('c', 0.5, false),
    ]),
    tcp('ETP=Local: node → NodePort, LOCAL source masqueraded to all endpoints', 'node', np, 30014, [
      L.to('a', 0.5, true),
      L.to('c', 0.5, true),
    ]),
    tcp('ETP=Local: node → ClusterIP', 'node', L.cip(14), 80, [L.to('a', 0.5, true), L.to('c', 0.5, true)]),
    tcp('ETP=Local without local endpoints: client → NodePort is dropped', 'client', np, 30015, [DROP]),
    tcp('ETP=Local without local endpoints: client → externalIP is dropped', 'client', L.vip(2), 80, [DROP]),
    tcp(
      'ETP=Local without local endpoints: pod → externalIP short-circuits to the remote endpoint',
      'pod-a',
      L.vip(2),
      80,
      [L.to('c', 1, false)],
    ),
    tcp('ETP=Local without local endpoints: pod → ClusterIP', 'pod-a', L.cip(15), 80, [L.to('c', 1, false)]),
    tcp('ITP=Local: pod → ClusterIP reaches local endpoints only', 'pod-a', L.cip(16), 80, [
      L.to('a', 0.5, true),
      L.to('b', 0.5, false),
    ]),
    tcp('ITP=Local: node → ClusterIP, masqueraded', 'node', L.cip(16), 80, [
      L.to('a', 0.5, true),
      L.to('b', 0.5, true),
    ]),
    tcp('ITP=Local: client → ClusterIP', 'client', L.cip(16), 80, [L.to('a', 0.5, true), L.to('b', 0.5, true)]),
    tcp('ITP=Local without local endpoints: dropped', 'pod-a', L.cip(17), 80, [DROP]),
    tcp('LB source ranges: allowed client → LB VIP', 'client', L.localVip(2), 80, [
      L.to('a', 0.5, true),
      L.to('b', 0.5, true),
    ]),
    tcp('LB source ranges: blocked client → LB VIP is dropped', 'client-blocked', L.localVip(2), 80, [DROP]),
    tcp('LB source ranges: pod → LB VIP is dropped (pods not in range)', 'pod-a', L.localVip(2), 80, [DROP]),
    tcp('LB source ranges: blocked client → NodePort bypasses the ranges', 'client-blocked', np, 30018, [
      L.to('a', 0.5, true),
      L.to('b', 0.5, true),
    ]),
    tcp('LB source ranges: node → LB VIP (VIP as source, node IP in range)', 'node', L.localVip(2), 80, [
      L.to('a', 0.5, true),
      L.to('b', 0.5, true),
    ]),
    tcp('externalIP (ETP=Cluster): client, masqueraded', 'client', L.vip(3), 80, [
      L.to('b', 0.5, true),
      L.to('c', 0.5, true),
    ]),
    tcp('externalIP (ETP=Cluster): pod, masqueraded', 'pod-a', L.vip(3), 80, [
      L.to('b', 0.5, true),
      L.to('c', 0.5, true),
    ]),
    tcp('externalIP (ETP=Cluster): node, masqueraded', 'node', L.vip(3), 80, [
      L.to('b', 0.5, true),
      L.to('c', 0.5, true),
    ]),
    tcp('pod → pod IP directly: no Service rule touches it', 'pod-a', L.pod('b').ip, 8080, [L.to('b', 1, false)]),
    tcp('pod → ClusterIP on a port that is not a service port', 'pod-a', L.cip(10), 81, [DROP]),
  ];
}
