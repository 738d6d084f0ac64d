/**
 * Non-kube rules around kube-proxy's (docs/kube-proxy-semantics.md §5.17): a host firewall with FORWARD policy DROP
 * (only KUBE-FORWARD's masquerade-mark and conntrack ACCEPTs let traffic through), a hand-made
 * DNAT placed before the jump to KUBE-SERVICES, and a FORWARD DROP for one endpoint placed before
 * kube-proxy's jumps (filter sees the endpoint's IP and port after DNAT, §5.20).
 */
import type { TopologyPlan as Topology } from '@/testkit/netns/topology';
import type { KernelCase } from './lab-case';
import type { RulesetGroup } from './kernel-suite';
import { currentLayoutRules } from './kube-rules-current';
import { standardServices } from './scenarios-current';
import { DROP, REJECT as REFUSED, lab } from './scenario-helpers';

const third = 1 / 3;
const tcp = (name: string, from: string, dst: string, port: number, expect: KernelCase['expect']): KernelCase => ({
  name,
  from,
  dst,
  port,
  proto: 'tcp',
  expect,
});

export const hostGroups: RulesetGroup[] = [
  {
    name: 'FORWARD policy DROP',
    rules: (t) => currentLayoutRules(standardServices(t), { forwardPolicy: 'DROP' }),
    cases: (t: Topology) => {
      const L = lab(t);
      return [
        tcp(
          'FORWARD DROP: client → NodePort is masquerade-marked, KUBE-FORWARD accepts',
          'client',
          L.nodeIP,
          30080,
          ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
        ),
        tcp('FORWARD DROP: pod → ClusterIP, only the hairpin (marked) branch survives', 'pod-a', L.cip(10), 80, [
          L.to('a', third, true),
          { kind: 'timeout', p: 2 * third },
        ]),
        tcp(
          'FORWARD DROP: client → ClusterIP (marked) passes',
          'client',
          L.cip(10),
          80,
          ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
        ),
        tcp('FORWARD DROP: pod → pod on the same bridge is dropped (br_netfilter)', 'pod-a', L.pod('b').ip, 8080, [
          DROP,
        ]),
        tcp('FORWARD DROP: ETP=Local traffic is not marked and is dropped', 'client', L.nodeIP, 30014, [DROP]),
        tcp('FORWARD DROP: ITP=Local, unmarked branch dropped', 'pod-a', L.cip(16), 80, [
          L.to('a', 0.5, true),
          { kind: 'timeout', p: 0.5 },
        ]),
      ];
    },
  },
  {
    name: 'hand-made DNAT before KUBE-SERVICES',
    rules: (t) => {
      const L = lab(t);
      const dnat = `-d ${L.cip(10)}/32 -p tcp -m tcp --dport 80 -m comment --comment "ops pin web to pod-a" -j DNAT --to-destination ${L.pod('a').ip}:8080`;
      return currentLayoutRules(standardServices(t), { natPreroutingFirst: [dnat] });
    },
    cases: (t: Topology) => {
      const L = lab(t);
      return [
        tcp('hand DNAT: pod → ClusterIP always goes to the pinned pod', 'pod-b', L.cip(10), 80, [L.to('a', 1, false)]),
        tcp(
          'hand DNAT: client → ClusterIP pinned, never masqueraded (KUBE-SERVICES not reached)',
          'client',
          L.cip(10),
          80,
          [L.to('a', 1, false)],
        ),
        tcp(
          'hand DNAT in PREROUTING does not apply to node-originated traffic',
          'node',
          L.cip(10),
          80,
          ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
        ),
      ];
    },
  },
  {
    name: 'raw, mangle, INPUT and POSTROUTING host rules',
    rules: (t) => {
      const L = lab(t);
      return currentLayoutRules(standardServices(t), {
        // Untracked packets never reach the nat table: no DNAT at all.
        raw: { PREROUTING: [`-d ${L.cip(12)}/32 -p tcp -m tcp --dport 80 -j CT --notrack`] },
        // Anything carrying 0x4000 is masqueraded by KUBE-POSTROUTING, whoever set it.
        mangle: { PREROUTING: [`-s ${t.plan.client.blocked}/32 -j MARK --set-xmark 0x4000/0x4000`] },
        filterInputFirst: ['-p tcp -m tcp --dport 30080 -j DROP', '-p tcp -m tcp --dport 30013 -j DROP'],
        natPostroutingFirst: [
          `-s ${t.plan.client.underlay}/32 -d ${L.pod('a').ip}/32 -p tcp -m tcp --dport 8080 -j SNAT --to-source ${L.localVip(2)}`,
        ],
      });
    },
    cases: (t: Topology) => {
      const L = lab(t);
      const snat = { ...L.to('a', third, false), seenSrc: L.localVip(2) };
      return [
        tcp(
          'INPUT DROP on a NodePort does not stop it (DNAT before routing → FORWARD); host SNAT wins on one branch',
          'client',
          L.nodeIP,
          30080,
          [snat, L.to('b', third, true), L.to('c', third, true)],
        ),
        tcp('INPUT DROP ahead of kube-proxy turns the no-endpoints REJECT into a timeout', 'client', L.nodeIP, 30013, [
          DROP,
        ]),
        tcp('a mangle MARK 0x4000 makes ETP=Local traffic masqueraded', 'client-blocked', L.nodeIP, 30014, [
          L.to('a', 1, true),
        ]),
        tcp('host SNAT in POSTROUTING applies where kube-proxy does not masquerade', 'client', L.nodeIP, 30014, [
          { ...L.to('a', 1, false), seenSrc: L.localVip(2) },
        ]),
        tcp('raw NOTRACK: the ClusterIP is never DNATed', 'pod-b', L.cip(12), 80, [DROP]),
        tcp('raw PREROUTING NOTRACK does not touch node-originated traffic', 'node', L.cip(12), 80, [
          L.to('a', 1, true),
        ]),
      ];
    },
  },
  {
    name: 'host chains: goto, nth, multiport, -o, REJECT variants',
    rules: (t) => {
      const L = lab(t);
      const podA = `${L.pod('a').ip}/32`;
      return currentLayoutRules(standardServices(t), {
        natChains: {
          // -g: a RETURN in HOST-B returns to PREROUTING, skipping the rest of HOST-A.
          'HOST-A': ['-p tcp -m tcp --dport 80 -g HOST-B', `-p tcp -j DNAT --to-destination ${L.pod('c').ip}:8080`],
          'HOST-B': ['-j RETURN'],
        },
        natPreroutingFirst: [
          `-d ${L.cip(10)}/32 -j HOST-A`,
          `-d ${L.cip(11)}/32 -p tcp -m tcp --dport 80 -m statistic --mode nth --every 2 --packet 0 -j DNAT --to-destination ${L.pod('a').ip}:8080`,
          `-d ${L.cip(11)}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${L.pod('c').ip}:8080`,
          `-d ${L.cip(19)}/32 -p tcp -m multiport --dports 80,443 -j DNAT --to-destination ${L.pod('a').ip}:8080`,
        ],
        filterForwardFirst: [
          `-s ${t.plan.client.underlay}/32 -i eth0 -o cni0 -p tcp -m tcp --dport 8080 -j DROP`,
          `-s ${podA} -d ${L.pod('b').ip}/32 -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset`,
          `-s ${podA} -d ${L.pod('c').ip}/32 -p tcp -m tcp --dport 8080 -j REJECT --reject-with icmp-host-prohibited`,
          `-s ${podA} -d ${t.plan.node[1].underlay}/32 -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset`,
        ],
      });
    },
    cases: (t: Topology) => {
      const L = lab(t);
      return [
        tcp('goto then RETURN resumes after the calling jump (kube-proxy decides)', 'pod-b', L.cip(10), 80, [
          L.to('a', third, false),
          L.to('b', third, true),
          L.to('c', third, false),
        ]),
        tcp('statistic --mode nth alternates between two DNATs', 'pod-b', L.cip(11), 80, [
          L.to('a', 0.5, false),
          L.to('c', 0.5, false),
        ]),
        tcp('multiport DNAT ahead of KUBE-SERVICES', 'pod-b', L.cip(19), 80, [L.to('a', 1, false)]),
        tcp('-i eth0 -o cni0 DROP: only the branch leaving by eth0 survives', 'client', L.nodeIP, 30080, [
          { kind: 'timeout', p: 2 * third },
          L.to('c', third, true),
        ]),
        tcp('REJECT tcp-reset without DNAT: the client sees a reset at once', 'pod-a', t.plan.node[1].underlay, 8080, [
          REFUSED,
        ]),
        // Measured: icmp-host-prohibited reaches the client (the ICMP error's inner header is
        // un-DNATed as RELATED), but the tcp-reset RST is sent from the endpoint's address (the
        // SYN's conntrack entry is never confirmed, so nothing un-DNATs the RST) and the client,
        // connected to the ClusterIP, ignores it: that branch is a TIMEOUT, not a refusal.
        tcp('REJECT after DNAT: icmp-host-prohibited is refused, tcp-reset times out', 'pod-a', L.cip(10), 80, [
          L.to('a', third, true),
          { kind: 'refused', p: third },
          { kind: 'timeout', p: third },
        ]),
      ];
    },
  },
  {
    name: 'host firewall drops one endpoint in FORWARD',
    rules: (t) => {
      const L = lab(t);
      return currentLayoutRules(standardServices(t), {
        filterForwardFirst: [`-d ${L.pod('b').ip}/32 -p tcp -m tcp --dport 8080 -j DROP`],
      });
    },
    cases: (t: Topology) => {
      const L = lab(t);
      return [
        tcp('endpoint firewall: client → ClusterIP, the pod-b branch times out', 'client', L.cip(10), 80, [
          L.to('a', third, true),
          L.to('c', third, true),
          { kind: 'timeout', p: third },
        ]),
        tcp('endpoint firewall: pod → ClusterIP', 'pod-a', L.cip(10), 80, [
          L.to('a', third, true),
          L.to('c', third, false),
          { kind: 'timeout', p: third },
        ]),
        tcp(
          'endpoint firewall: node → ClusterIP uses OUTPUT, not FORWARD',
          'node',
          L.cip(10),
          80,
          ['a', 'b', 'c'].map((p) => L.to(p, third, true)),
        ),
      ];
    },
  },
];
