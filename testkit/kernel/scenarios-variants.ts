/**
 * kube-proxy configuration variants and non-kube NAT (docs/kube-proxy-semantics.md §5.2, §5.8, §5.17, and the
 * masquerade matrix of fixture L): interface-based local-traffic detector, --masquerade-all, no
 * detector, per-endpoint target ports, and a CNI portmap (hostPort) DNAT ahead of KUBE-SERVICES.
 * The topology's pods serve TCP 8080 and 8443.
 */
import type { TopologyPlan as Topology, TopologySpec } from '@/testkit/netns/topology';
import type { KNode } from './kube-spec';
import type { KernelCase } from './lab-case';
import type { RulesetGroup } from './kernel-suite';
import { currentLayoutRules } from './kube-rules-current';
import { lab } from './scenario-helpers';

export const VARIANT_PODS: TopologySpec = {
  pods: [
    { name: 'a', node: 1 },
    { name: 'b', node: 1 },
    { name: 'c', node: 2 },
  ],
  tcpPorts: [8080, 8443],
};

const third = 1 / 3;
const tcp = (name: string, from: string, dst: string, port: number, expect: KernelCase['expect']): KernelCase => ({
  name,
  from,
  dst,
  port,
  proto: 'tcp',
  expect,
});

function services(t: Topology, extra: Partial<KNode> = {}): KNode {
  const L = lab(t);
  return {
    clusterCidr: t.plan.clusterCidr,
    nodeIPs: [L.nodeIP],
    ...extra,
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
        name: 'local',
        clusterIP: L.cip(14),
        etp: 'Local',
        externalIPs: [L.vip(1)],
        ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30014, endpoints: [L.ep('a'), L.ep('c')] }],
      },
      // A named targetPort resolving to different numbers per endpoint.
      {
        ns: 'default',
        name: 'tls',
        clusterIP: L.cip(40),
        ports: [{ name: 'https', proto: 'tcp', port: 443, endpoints: [L.ep('a', 8443), L.ep('c', 8080)] }],
      },
    ],
  };
}

export const variantGroups: RulesetGroup[] = [
  {
    name: 'interface detector (! -i cni0)',
    rules: (t) => currentLayoutRules(services(t, { detector: { mode: 'interface', iface: 'cni0' } })),
    cases: (t) => {
      const L = lab(t);
      return [
        tcp(
          'iface detector: pod → ClusterIP (arrives on cni0) not masqueraded except hairpin',
          'pod-a',
          L.cip(10),
          80,
          [L.to('a', third, true), L.to('b', third, false), L.to('c', third, false)],
        ),
        tcp(
          'iface detector: node → ClusterIP (no input interface) masqueraded',
          'node',
          L.cip(10),
          80,
          ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
        ),
        tcp(
          'iface detector: client → ClusterIP (arrives on eth0) masqueraded',
          'client',
          L.cip(10),
          80,
          ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
        ),
        tcp('iface detector: pod → ETP=Local externalIP short-circuits by -i cni0', 'pod-b', L.vip(1), 80, [
          L.to('a', 0.5, false),
          L.to('c', 0.5, false),
        ]),
        tcp('iface detector: client → ETP=Local NodePort, local endpoint only', 'client', L.nodeIP, 30014, [
          L.to('a', 1, false),
        ]),
      ];
    },
  },
  {
    name: 'masquerade-all',
    rules: (t) => currentLayoutRules(services(t, { masqueradeAll: true })),
    cases: (t) => {
      const L = lab(t);
      return [
        tcp(
          'masquerade-all: pod → ClusterIP masqueraded on every branch',
          'pod-b',
          L.cip(10),
          80,
          ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
        ),
        tcp(
          'masquerade-all: pod → ETP=Local externalIP short-circuit is still not masqueraded',
          'pod-b',
          L.vip(1),
          80,
          [L.to('a', 0.5, false), L.to('c', 0.5, false)],
        ),
      ];
    },
  },
  {
    name: 'no local-traffic detector',
    rules: (t) => currentLayoutRules(services(t, { detector: { mode: 'none' } })),
    cases: (t) => {
      const L = lab(t);
      return [
        tcp(
          'no detector: node → ClusterIP is not masqueraded',
          'node',
          L.cip(10),
          80,
          ['a', 'b', 'c'].map((p) => L.to(p, third, false)),
        ),
        tcp('no detector: pod → ETP=Local externalIP gets only the local endpoint', 'pod-b', L.vip(1), 80, [
          L.to('a', 1, false),
        ]),
        tcp('no detector: hairpin is still masqueraded', 'pod-a', L.cip(10), 80, [
          L.to('a', third, true),
          L.to('b', third, false),
          L.to('c', third, false),
        ]),
      ];
    },
  },
  {
    name: 'target ports and a CNI hostPort DNAT',
    rules: (t) => {
      const L = lab(t);
      return currentLayoutRules(services(t), {
        natChains: {
          'CNI-HOSTPORT-DNAT': [
            `-p tcp -m tcp --dport 8888 -m comment --comment "hostPort pod-b" -j DNAT --to-destination ${L.pod('b').ip}:8443`,
          ],
        },
        natPreroutingFirst: ['-m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT'],
      });
    },
    cases: (t) => {
      const L = lab(t);
      return [
        tcp('named targetPort: DNAT port differs per endpoint', 'pod-b', L.cip(40), 443, [
          L.to('a', 0.5, false, 8443),
          L.to('c', 0.5, false, 8080),
        ]),
        tcp('named targetPort: client, masqueraded', 'client', L.cip(40), 443, [
          L.to('a', 0.5, true, 8443),
          L.to('c', 0.5, true, 8080),
        ]),
        tcp('hostPort DNAT ahead of KUBE-SERVICES: client → node:8888', 'client', L.nodeIP, 8888, [
          L.to('b', 1, false, 8443),
        ]),
        tcp(
          'hostPort chain returns for other ports: NodePort still works',
          'client',
          L.nodeIP,
          30080,
          ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
        ),
      ];
    },
  },
];
