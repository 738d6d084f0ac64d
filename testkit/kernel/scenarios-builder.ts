/**
 * Cases on rulesets written by the production-shaped writer (testkit/kube-proxy-writer/iptables.ts),
 * for the features the kernel suite's own writers do not produce: ClientIP session affinity
 * (`-m recent`), localhost NodePorts (route_localnet + KUBE-FIREWALL), health-check node ports
 * and serving+terminating endpoint fallback. Using a second, independent writer also checks that
 * both agree with the kernel.
 */
import type { TopologyPlan as Topology } from '@/testkit/netns/topology';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import type { KubeEndpoint, KubeServicePort } from '@/testkit/kube-proxy-writer/iptables';
import { nsRun } from '@/testkit/netns/exec';
import type { KernelCase } from './lab-case';
import type { RulesetGroup } from './kernel-suite';
import { lab } from './scenario-helpers';

const third = 1 / 3;

function services(t: Topology): KubeServicePort[] {
  const L = lab(t);
  const ep = (name: string, extra: Partial<KubeEndpoint> = {}): KubeEndpoint => ({
    ip: L.pod(name).ip,
    port: 8080,
    node: L.pod(name).node === 1 ? 'node1' : 'node2',
    ...extra,
  });
  return [
    {
      ns: 'default',
      name: 'sticky',
      portName: 'http',
      port: 80,
      clusterIP: L.cip(30),
      affinitySeconds: 10800,
      endpoints: [ep('a'), ep('b'), ep('c')],
    },
    {
      ns: 'default',
      name: 'web',
      portName: 'http',
      port: 80,
      clusterIP: L.cip(31),
      nodePort: 30031,
      endpoints: [ep('a'), ep('c')],
    },
    {
      ns: 'default',
      name: 'hc',
      portName: 'http',
      port: 80,
      clusterIP: L.cip(32),
      nodePort: 30032,
      etp: 'Local',
      healthCheckNodePort: 30033,
      lbIPs: [L.localVip(1)],
      endpoints: [ep('a')],
    },
    {
      ns: 'default',
      name: 'term',
      portName: 'http',
      port: 80,
      clusterIP: L.cip(34),
      endpoints: [
        ep('a', { ready: false, serving: true, terminating: true }),
        ep('c', { ready: false, serving: false, terminating: true }),
      ],
    },
  ];
}

export const builderGroup: RulesetGroup = {
  name: 'testkit/kube-proxy-writer/iptables.ts rulesets',
  // kube-proxy sets route_localnet when localhost NodePorts are on; without it the kernel drops
  // 127.0.0.1-sourced packets that leave lo (martians).
  setup: async (t) => {
    await nsRun(t.ns.nodes[0], 'sysctl', ['-qw', 'net.ipv4.conf.all.route_localnet=1']);
  },
  rules: (t) =>
    buildKubeRules(services(t), {
      nodeName: 'node1',
      nodeIPs: [t.plan.node[0].underlay, ...t.localVips],
      podCIDR: t.plan.clusterCidr,
      localhostNodePorts: true,
    }),
  cases: (t: Topology): KernelCase[] => {
    const L = lab(t);
    const all3 = (masqAll: boolean, own?: string) => ['a', 'b', 'c'].map((p) => L.to(p, third, masqAll || p === own));
    return [
      {
        name: 'affinity: pod → ClusterIP sticks to one endpoint',
        from: 'pod-b',
        dst: L.cip(30),
        port: 80,
        proto: 'tcp',
        sticky: true,
        count: 20,
        expect: all3(false, 'b'),
      },
      {
        name: 'affinity: client → ClusterIP sticks to one endpoint',
        from: 'client',
        dst: L.cip(30),
        port: 80,
        proto: 'tcp',
        sticky: true,
        count: 20,
        expect: all3(true),
      },
      {
        name: 'localhost NodePort: node → 127.0.0.1:NodePort, masqueraded',
        from: 'node',
        dst: '127.0.0.1',
        port: 30031,
        proto: 'tcp',
        expect: [L.to('a', 0.5, true), L.to('c', 0.5, true)],
      },
      {
        name: 'NodePort via the builder: client → node IP',
        from: 'client',
        dst: L.nodeIP,
        port: 30031,
        proto: 'tcp',
        expect: [L.to('a', 0.5, true), L.to('c', 0.5, true)],
      },
      // ACCEPTed to the node, where nothing listens on the health-check port in this lab.
      {
        name: 'health-check node port is accepted by filter KUBE-NODEPORTS',
        from: 'client',
        dst: L.nodeIP,
        port: 30033,
        proto: 'tcp',
        expect: [{ kind: 'refused', p: 1 }],
      },
      {
        name: 'ETP=Local LB VIP via the builder',
        from: 'client',
        dst: L.localVip(1),
        port: 80,
        proto: 'tcp',
        expect: [L.to('a', 1, false)],
      },
      {
        name: 'no ready endpoint: serving+terminating fallback only',
        from: 'pod-b',
        dst: L.cip(34),
        port: 80,
        proto: 'tcp',
        expect: [L.to('a', 1, false)],
      },
    ];
  },
};
