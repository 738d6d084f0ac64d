/**
 * Kernel-verified multi-node questions (issue #15): two node namespaces joined as the lab's CNI
 * joins them (a bridge per node, host-gw pod CIDR routes between the nodes), kube-proxy-shaped
 * rules on each node (the suite's own writers) and a host firewall drop on the DESTINATION node.
 * Real connections from a pod namespace; the answer's verdict, path and named rule must match
 * what the kernel did (which pod answered and with which source; refused; timed out; per-node,
 * per-rule counters). Root only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync } from 'node:fs';
import { isRoot } from '@/testkit/netns/exec';
import {
  createTopology,
  planTopology,
  type Topology,
  type TopologyPlan,
  type TopologySpec,
} from '@/testkit/netns/topology';
import { clusterIP, podIP, remoteVip } from '@/testkit/netns/addressing';
import { currentLayoutRules } from './kube-rules-current';
import { oldLayoutRules } from './kube-rules-old';
import { describeMReport, loadNodes, runMultiCase, type Loaded, type MCase, type MService } from './multinode-lab';

const SPEC: TopologySpec = {
  pods: [
    { name: 'a', node: 1 },
    { name: 'b', node: 1 },
    { name: 'c', node: 2 },
    { name: 'd', node: 2 },
  ],
};
const N1 = 'node-1';
const N2 = 'node-2';

const ep = (pod: string) => ({ pod, port: 8080 });

function currentServices(t: TopologyPlan): MService[] {
  return [
    {
      ns: 'default',
      name: 'cross',
      clusterIP: clusterIP(t.plan, 20),
      ports: [{ name: 'http', proto: 'tcp', port: 80, endpoints: [ep('c')] }],
    },
    {
      ns: 'default',
      name: 'blocked',
      clusterIP: clusterIP(t.plan, 21),
      ports: [{ name: 'http', proto: 'tcp', port: 80, endpoints: [ep('d')] }],
    },
    // The rules still DNAT to a deleted pod's address in node 2's pod CIDR; the API no longer lists it.
    {
      ns: 'default',
      name: 'stale',
      clusterIP: clusterIP(t.plan, 22),
      ports: [{ name: 'http', proto: 'tcp', port: 80, endpoints: [{ ip: podIP(t.plan, 2, 77), port: 8080 }] }],
    },
    {
      ns: 'default',
      name: 'back',
      clusterIP: clusterIP(t.plan, 23),
      ports: [{ name: 'http', proto: 'tcp', port: 80, endpoints: [ep('a')] }],
    },
    // ETP=Local with its only endpoint on node 2: kube-proxy >= 1.25 drops external traffic on node 1 itself.
    {
      ns: 'default',
      name: 'local-none',
      clusterIP: clusterIP(t.plan, 24),
      etp: 'Local',
      ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30024, endpoints: [ep('c')] }],
    },
  ];
}

/**
 * ETP=Local Services whose only endpoint is on node 2: node 1's kube-proxy (old layout) marks their
 * external traffic for drop. The NodePort arrives for node 1 itself (INPUT, where kubelet's
 * KUBE-FIREWALL sits); the LB VIP is no address of node 1, so its packet is forwarded (no KUBE-FIREWALL).
 */
function oldServices(t: TopologyPlan): MService[] {
  return [
    {
      ns: 'default',
      name: 'xlb-none',
      clusterIP: clusterIP(t.plan, 15),
      etp: 'Local',
      ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30015, endpoints: [ep('c')] }],
    },
    {
      ns: 'default',
      name: 'lb-local',
      clusterIP: clusterIP(t.plan, 16),
      etp: 'Local',
      lbIPs: [remoteVip(t.plan, 5)],
      ports: [{ name: 'http', proto: 'tcp', port: 80, nodePort: 30016, endpoints: [ep('c')] }],
    },
  ];
}

function currentCases(t: TopologyPlan): MCase[] {
  const cip = (n: number) => clusterIP(t.plan, n);
  return [
    {
      name: 'delivered across nodes: pod-a (node-1) → ClusterIP, endpoint pod-c on node-2',
      from: 'pod-a',
      dst: cip(20),
      port: 80,
      expect: { answer: 'delivered', reason: 'delivered', decidedOn: N2, nodes: [N1, N2], pod: 'pod-c' },
    },
    {
      name: 'delivered across nodes the other way: pod-c (node-2) → endpoint pod-a on node-1',
      from: 'pod-c',
      dst: cip(23),
      port: 80,
      expect: { answer: 'delivered', reason: 'delivered', decidedOn: N1, nodes: [N2, N1], pod: 'pod-a' },
    },
    {
      name: 'node source: node-1 itself → ClusterIP, masqueraded, answered on node-2',
      from: 'node',
      dst: cip(20),
      port: 80,
      expect: { answer: 'delivered', reason: 'delivered', decidedOn: N2, nodes: [N1, N2], pod: 'pod-c' },
    },
    {
      name: 'dropped on the destination node: host firewall rule in node-2 FORWARD after DNAT on node-1',
      from: 'pod-a',
      dst: cip(21),
      port: 80,
      expect: {
        answer: 'dropped',
        reason: 'rule-drop',
        decidedOn: N2,
        nodes: [N1, N2],
        pod: 'pod-d',
        ruleChain: 'FORWARD',
        ruleOwner: 'host-firewall',
      },
    },
    {
      name: "dropped on the source pod's own node (the demo's edge-2 → api-metrics): pod-c → endpoint pod-d, both on node-2",
      from: 'pod-c',
      dst: cip(21),
      port: 80,
      expect: {
        answer: 'dropped',
        reason: 'rule-drop',
        decidedOn: N2,
        nodes: [N2],
        pod: 'pod-d',
        ruleChain: 'FORWARD',
        ruleOwner: 'host-firewall',
      },
    },
    {
      name: "ETP=Local NodePort without a local endpoint (current layout): kube-proxy's own DROP in filter KUBE-EXTERNAL-SERVICES",
      from: 'client',
      dst: t.plan.node[0].underlay,
      port: 30024,
      node: N1,
      expect: {
        answer: 'dropped',
        reason: 'rule-drop',
        decidedOn: N1,
        nodes: [N1],
        ruleChain: 'KUBE-EXTERNAL-SERVICES',
        ruleOwner: 'kube-proxy',
      },
    },
    {
      name: 'unknown ClusterIP: nothing DNATs it, nothing answers',
      from: 'pod-a',
      dst: cip(99),
      port: 80,
      expect: { answer: 'unanswered', reason: 'no-service', decidedOn: N1, nodes: [N1] },
    },
    {
      name: 'unexposed port of a Service IP: not DNATed, nothing answers',
      from: 'pod-a',
      dst: cip(20),
      port: 81,
      expect: { answer: 'unanswered', reason: 'unexposed-port', decidedOn: N1, nodes: [N1] },
    },
    {
      name: "stale DNAT target: node-1 DNATs to a deleted pod's address, node-2 has no such pod",
      from: 'pod-a',
      dst: cip(22),
      port: 80,
      expect: {
        answer: 'unanswered',
        reason: 'stale-endpoint',
        decidedOn: N2,
        nodes: [N1, N2],
        ruleOwner: 'kube-proxy',
      },
    },
  ];
}

function markDropCases(t: TopologyPlan, enforced: boolean): MCase[] {
  const q = { from: 'client', dst: t.plan.node[0].underlay, port: 30015, node: N1 };
  const lb = { from: 'client', dst: remoteVip(t.plan, 5), port: 80, node: N1 };
  const unenforced: MCase['expect'] = {
    answer: 'unanswered',
    reason: 'mark-drop-unenforced',
    decidedOn: N1,
    nodes: [N1],
    ruleOwner: 'kube-proxy',
    ruleChain: 'KUBE-XLB-',
  };
  return enforced
    ? [
        {
          name: "ETP=Local NodePort without a local endpoint: KUBE-MARK-DROP enforced by kubelet's KUBE-FIREWALL",
          ...q,
          expect: {
            answer: 'dropped',
            reason: 'rule-drop',
            decidedOn: N1,
            nodes: [N1],
            ruleChain: 'KUBE-FIREWALL',
            ruleOwner: 'kubelet',
          },
        },
        {
          name: "ETP=Local LB VIP forwarded by node-1: the mark is set, but kubelet's KUBE-FIREWALL is not on a forwarded packet's path",
          ...lb,
          expect: unenforced,
        },
      ]
    : [
        {
          name: 'ETP=Local NodePort without a local endpoint: KUBE-MARK-DROP that nothing enforces (no kubelet rules)',
          ...q,
          expect: unenforced,
        },
        {
          name: 'ETP=Local LB VIP, no kubelet rules: KUBE-MARK-DROP sets no mark, the VIP is forwarded un-DNATed',
          ...lb,
          expect: unenforced,
        },
      ];
}

/** Node 2 holds a host firewall rule for pod d, ahead of kube-proxy's jumps, as the demo's node-2 does. */
function hostDrop(t: TopologyPlan): string[] {
  const d = t.pods.find((p) => p.name === 'd')!;
  return [`-d ${d.ip}/32 -p tcp -m tcp --dport 8080 -m comment --comment "host-firewall: block d" -j DROP`];
}

/** kube-proxy 1.20's rules without kubelet's: KUBE-MARK-DROP sets no mark and nothing drops the mark. */
function withoutKubelet(text: string): string {
  return text
    .split('\n')
    .filter(
      (l) =>
        l !== '-A KUBE-MARK-DROP -j MARK --or-mark 0x8000' &&
        !l.includes('kubernetes firewall for dropping marked packets'),
    )
    .join('\n');
}

interface Group {
  name: string;
  services(t: TopologyPlan): MService[];
  rules(t: TopologyPlan, n: number, spec: Parameters<typeof currentLayoutRules>[0]): string;
  cases(t: TopologyPlan): MCase[];
}

const GROUPS: Group[] = [
  {
    name: 'current layout, host firewall drop on node-2',
    services: currentServices,
    rules: (t, n, s) => currentLayoutRules(s, n === 2 ? { filterForwardFirst: hostDrop(t) } : {}),
    cases: currentCases,
  },
  {
    name: "old layout with kubelet's mark-drop rules",
    services: oldServices,
    rules: (_t, _n, s) => oldLayoutRules(s),
    cases: (t) => markDropCases(t, true),
  },
  {
    name: "old layout without kubelet's rules",
    services: oldServices,
    rules: (_t, _n, s) => withoutKubelet(oldLayoutRules(s)),
    cases: (t) => markDropCases(t, false),
  },
];

if (!isRoot()) {
  describe('kernel: multi-node questions', () => {
    it.skip('kernel-verified tests need root (network namespaces, iptables-restore); skipped because not running as root', () => {});
  });
} else {
  const planned = planTopology({ ...SPEC, hex: '0000' });
  describe('kernel: multi-node questions', () => {
    let topo: Topology;
    beforeAll(async () => {
      topo = await createTopology(SPEC);
    });
    afterAll(async () => {
      await topo?.teardown();
    });
    for (const g of GROUPS) {
      describe(g.name, () => {
        let loaded: Loaded;
        beforeAll(async () => {
          loaded = await loadNodes(topo, g.services(topo), (n, spec) => g.rules(topo, n, spec));
        });
        g.cases(planned).forEach((template, i) => {
          it(template.name, async () => {
            const report = await runMultiCase(topo, loaded, g.cases(topo)[i]);
            // As the other kernel suites: KP_KERNEL_REPORT=<file> collects every case as one JSON line.
            if (process.env.KP_KERNEL_REPORT)
              appendFileSync(
                process.env.KP_KERNEL_REPORT,
                JSON.stringify({ suite: `kernel: multi-node questions / ${g.name}`, ...report }) + '\n',
              );
            expect(report.problems, describeMReport(report)).toEqual([]);
          });
        });
      });
    }
  });
}
