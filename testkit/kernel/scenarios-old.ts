/**
 * The pre-1.25 layout suite (KUBE-XLB, KUBE-FW + KUBE-MARK-DROP, masquerade rule in nat
 * KUBE-SERVICES, physdev-guarded externalIP rules, REJECT in filter) and its cases.
 */
import type { TopologyPlan as Topology } from '@/testkit/netns/topology';
import type { KNode } from './kube-spec';
import type { KernelCase } from './lab-case';
import { DROP, REJECT, lab } from './scenario-helpers';

/** Services for the old layout (LB VIPs are local to node 1, as GCE-style nodes bind them). */
export function oldServices(topo: Topology): KNode {
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
        name: 'empty',
        clusterIP: L.cip(13),
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30013, endpoints: [] }],
      },
      {
        ns: 'default',
        name: 'xlb',
        clusterIP: L.cip(14),
        etp: 'Local',
        lbIPs: [L.localVip(1)],
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30014, endpoints: [L.ep('a'), L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'xlb-none',
        clusterIP: L.cip(15),
        etp: 'Local',
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30015, endpoints: [L.ep('c')] }],
      },
      {
        ns: 'default',
        name: 'fw',
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

export function oldCases(topo: Topology): KernelCase[] {
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
  const all3 = (m: boolean, own?: string) => ['a', 'b', 'c'].map((p) => L.to(p, third, m || p === own));
  return [
    tcp('old: pod → ClusterIP, hairpin branch masqueraded', 'pod-a', L.cip(10), 80, all3(false, 'a')),
    tcp('old: node → ClusterIP, masquerade rule in KUBE-SERVICES', 'node', L.cip(10), 80, all3(true)),
    tcp('old: client → ClusterIP', 'client', L.cip(10), 80, all3(true)),
    tcp('old: client → NodePort', 'client', np, 30080, all3(true)),
    tcp('old: pod → NodePort', 'pod-b', np, 30080, all3(true)),
    tcp('old: no endpoints, pod → ClusterIP REJECT', 'pod-a', L.cip(13), 80, [REJECT]),
    tcp('old: no endpoints, client → NodePort REJECT', 'client', np, 30013, [REJECT]),
    tcp('old: KUBE-XLB, client → NodePort reaches the local endpoint only', 'client', np, 30014, [L.to('a', 1, false)]),
    tcp('old: KUBE-FW → KUBE-XLB, client → LB VIP', 'client', L.localVip(1), 80, [L.to('a', 1, false)]),
    tcp('old: KUBE-XLB redirects pods to the service chain', 'pod-b', L.localVip(1), 80, [
      L.to('a', 0.5, false),
      L.to('c', 0.5, false),
    ]),
    tcp('old: KUBE-XLB, node → NodePort masqueraded to all endpoints', 'node', np, 30014, [
      L.to('a', 0.5, true),
      L.to('c', 0.5, true),
    ]),
    tcp('old: KUBE-XLB without local endpoints → KUBE-MARK-DROP → KUBE-FIREWALL', 'client', np, 30015, [DROP]),
    tcp('old: KUBE-FW source range allowed', 'client', L.localVip(2), 80, [L.to('a', 0.5, true), L.to('b', 0.5, true)]),
    tcp('old: KUBE-FW source range blocked → KUBE-MARK-DROP', 'client-blocked', L.localVip(2), 80, [DROP]),
    tcp('old: KUBE-FW, pod outside the ranges → dropped', 'pod-a', L.localVip(2), 80, [DROP]),
    tcp('old: NodePort bypasses source ranges', 'client-blocked', np, 30018, [
      L.to('a', 0.5, true),
      L.to('b', 0.5, true),
    ]),
    tcp('old: externalIP from outside (physdev ! --physdev-is-in)', 'client', L.vip(3), 80, [
      L.to('b', 0.5, true),
      L.to('c', 0.5, true),
    ]),
    // The packet arrived through a bridge port, so `! --physdev-is-in` does not match, and the
    // VIP is not local: nothing DNATs it and it is forwarded to nobody.
    tcp('old: externalIP from a pod (bridge port: physdev rule does not match)', 'pod-a', L.vip(3), 80, [DROP]),
    tcp('old: externalIP from the node (LOCAL source, not DNATed)', 'node', L.vip(3), 80, [DROP]),
  ];
}
