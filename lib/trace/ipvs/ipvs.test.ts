/**
 * IPVS mode on the real captured ipvsadm / ipset fixtures plus the iptables rules kube-proxy's
 * IPVS proxier writes (§3.3): virtual-server lookup, weights and draining, empty virtual
 * servers, KUBE-IPVS-FILTER, and masquerade from ipsets (cluster IP, NodePort, hairpin).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { saveText } from '@/testkit/kube-proxy-writer/save-text';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { parseIpvsadm } from '@/lib/parse/ipvsadm';
import { parseIpset } from '@/lib/parse/ipset';
import { tracePacket, detectMode } from '@/lib/trace/trace-packet';
import type { TraceInputs } from '@/lib/model/trace-inputs';

const fx = (p: string): string => readFileSync(`lib/parse/__fixtures__/${p}`, 'utf8');
const set = (name: string, flags: string): string => `-m set --match-set ${name} ${flags}`;

export const IPVS_RULES = saveText({
  filter: [
    '-A INPUT -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT',
    '-A INPUT -j KUBE-IPVS-FILTER',
    '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    `-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" ${set('KUBE-HEALTH-CHECK-NODE-PORT', 'dst')} -j ACCEPT`,
    `-A KUBE-IPVS-FILTER ${set('KUBE-CLUSTER-IP', 'dst,dst')} -j RETURN`,
    `-A KUBE-IPVS-FILTER ${set('KUBE-HEALTH-CHECK-NODE-PORT', 'dst')} -j RETURN`,
    `-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW ${set('KUBE-IPVS-IPS', 'dst')} -j REJECT --reject-with icmp-port-unreachable`,
  ],
  nat: [
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    `-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" ${set('KUBE-LOOP-BACK', 'dst,dst,src')} -j MASQUERADE`,
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN',
    `-A KUBE-SERVICES ! -s 10.244.0.0/16 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" ${set('KUBE-CLUSTER-IP', 'dst,dst')} -j KUBE-MARK-MASQ`,
    '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
    `-A KUBE-SERVICES ${set('KUBE-CLUSTER-IP', 'dst,dst')} -j ACCEPT`,
    `-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" ${set('KUBE-NODE-PORT-TCP', 'dst')} -j KUBE-MARK-MASQ`,
  ],
});

function inputs(): TraceInputs {
  return {
    iptables: parseIptablesSave(IPVS_RULES).value,
    ipvs: parseIpvsadm(fx('ipvsadm/kube-proxy-list.txt')).value,
    ipsets: parseIpset(fx('ipset/kube-proxy-ipvs.save.txt')).value,
    localIPs: ['192.168.0.2'],
  };
}
const tcp = (src: string, dst: string, port: number) => tracePacket(inputs(), { src, dst, port, proto: 'tcp' });

describe('IPVS mode', () => {
  it('is detected from the virtual servers', () => {
    expect(detectMode(inputs())).toBe('ipvs');
  });

  it('pod → ClusterIP: rr over two real servers, no masquerade', () => {
    const r = tcp('10.244.2.3', '10.96.0.20', 80);
    expect(r.mode).toBe('ipvs');
    expect(r.outcomes.map((o) => [o.verdict, o.to, o.probability, o.masquerade])).toEqual([
      ['dnat', '10.244.1.5:8080', 0.5, false],
      ['dnat', '10.244.2.7:8080', 0.5, false],
    ]);
    expect(r.outcomes[0].steps.some((s) => s.effect === 'ipvs' && s.raw.startsWith('TCP  10.96.0.20:80'))).toBe(true);
    expect(r.notes.some((n) => n.includes('kube-ipvs0'))).toBe(true);
  });

  it('node → ClusterIP is masqueraded (KUBE-CLUSTER-IP with a non-pod source)', () => {
    const r = tcp('192.168.0.2', '10.96.0.20', 80);
    expect(r.outcomes.map((o) => o.masquerade)).toEqual([true, true]);
  });

  it('hairpin: KUBE-LOOP-BACK masquerades only the branch that picks the client itself', () => {
    const r = tcp('10.244.1.5', '10.96.0.20', 80);
    expect(r.outcomes.map((o) => [o.to, o.masquerade])).toEqual([
      ['10.244.1.5:8080', true],
      ['10.244.2.7:8080', false],
    ]);
  });

  it('NodePort: weight-0 real server is draining and excluded; NodePort traffic is masqueraded', () => {
    const r = tcp('203.0.113.5', '192.168.0.2', 30080);
    expect(r.outcomes.map((o) => [o.to, o.probability, o.masquerade])).toEqual([['10.244.1.5:8080', 1, true]]);
    expect(r.outcomes[0].steps.some((s) => s.why.includes('10.244.2.7:8080 excluded: weight 0 (draining'))).toBe(true);
  });

  it('VIP on a port with no virtual server: KUBE-IPVS-FILTER rejects', () => {
    const r = tcp('10.244.2.3', '10.96.0.20', 81);
    expect(r.outcomes.map((o) => o.verdict)).toEqual(['reject']);
    expect(r.outcomes[0].steps.find((s) => s.effect === 'reject')?.chain).toBe('KUBE-IPVS-FILTER');
  });

  it('virtual server without real servers: ICMP unreachable (reject)', () => {
    const r = tcp('10.244.2.3', '10.96.0.40', 80);
    expect(r.outcomes.map((o) => o.verdict)).toEqual(['reject']);
    expect(r.outcomes[0].steps.at(-1)?.table).toBe('ipvs');
  });

  it('persistent virtual server: affinity note', () => {
    const r = tcp('10.244.2.3', '10.96.0.30', 80);
    expect(r.outcomes.map((o) => o.to)).toEqual(['10.244.1.9:80']);
    expect(r.notes.some((n) => n.includes('persistent 10800 s'))).toBe(true);
  });

  it('no IPVS match and not local: untouched', () => {
    const r = tcp('10.244.2.3', '10.244.1.5', 8080);
    expect(r.outcomes.map((o) => [o.verdict, o.to])).toEqual([['accept', '10.244.1.5:8080']]);
  });
});
