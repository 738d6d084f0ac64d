import { describe, expect, it } from 'vitest';
import { parseIpvsadm } from '@/lib/parse/ipvsadm';
import { parseIpset } from '@/lib/parse/ipset';
import { API } from '@/testkit/snapshot-fixtures';
import { nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
import { tracePacket } from '@/lib/trace/trace-packet';
import { buildIpvsFixtureNode, IPVS_FIXTURE_VIA } from './ipvs-fixture-node';

const root = process.getuid?.() === 0;
if (!root) console.warn('agents/lab: skipping IPVS fixture node test: needs root (netns, ipset, iptables-restore)');

describe.skipIf(!root)('IPVS demo node: real ipset/iptables/ip captures + synthesized ipvsadm', () => {
  const api = {
    ...API,
    services: [
      ...API.services,
      {
        ...API.services[0],
        name: 'svc1-np',
        type: 'NodePort' as const,
        clusterIPs: ['172.30.0.44'],
        ports: [{ ...API.services[0].ports[0], nodePort: 30080 }],
      },
    ],
    endpointSlices: [...API.endpointSlices, { ...API.endpointSlices[0], name: 'svc1-np-x', service: 'svc1-np' }],
  };

  it('captures a consistent IPVS-mode node that the parsers and the tracer accept', async () => {
    const node = await buildIpvsFixtureNode(api, {
      name: 'node-ipvs',
      nodeIP: '192.0.2.13',
      clusterCIDR: '10.180.0.0/16',
      drainService: 'ns1/svc1',
    });
    expect(node.via).toBe(IPVS_FIXTURE_VIA);
    expect(node.proxyMode).toBe('ipvs');
    expect(node.error).toBeUndefined();
    expect(node.captures['iptables-save']!.stdout).toMatch(
      /-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT/,
    );
    const sets = parseIpset(node.captures.ipset!.stdout).value.sets;
    expect(sets['KUBE-CLUSTER-IP'].members.map((m) => m.entry).sort()).toEqual([
      '172.30.0.41,tcp:80',
      '172.30.0.42,tcp:80',
      '172.30.0.43,tcp:80',
      '172.30.0.44,tcp:80',
    ]);
    expect(sets['KUBE-NODE-PORT-TCP'].members.map((m) => m.entry)).toEqual(['30080']);
    const ipvs = parseIpvsadm(node.captures.ipvsadm!.stdout, { strict: true }).value;
    const svc1 = ipvs.virtualServers.find((v) => v.address === '172.30.0.41')!;
    expect(svc1.realServers.map((r) => [r.address, r.weight, r.inactConn])).toEqual([
      ['10.180.0.1', 1, 0],
      ['10.180.0.2', 0, 2],
    ]);
    expect(ipvs.virtualServers.some((v) => v.address === '192.0.2.13' && v.port === 30080)).toBe(true);
    const ifaces = JSON.parse(node.captures['ip-addr']!.stdout) as { ifname: string; addr_info: { local: string }[] }[];
    expect(ifaces.find((i) => i.ifname === 'kube-ipvs0')!.addr_info.map((a) => a.local)).toContain('172.30.0.41');

    // The weight-0 (draining) real server gets no new connections.
    const { inputs } = nodeTraceInputs(node);
    const r = tracePacket(inputs, { src: '10.180.0.50', dst: '172.30.0.41', port: 80, proto: 'tcp' });
    expect(r.mode).toBe('ipvs');
    expect(r.outcomes.filter((o) => o.probability > 0).map((o) => [o.verdict, o.to, o.probability])).toEqual([
      ['dnat', '10.180.0.1:80', 1],
    ]);
  });
});
