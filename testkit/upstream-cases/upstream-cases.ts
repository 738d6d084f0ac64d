/**
 * Upstream kube-proxy acceptance fixtures A–L (docs/kube-proxy-semantics.md §2.3–2.4) as data:
 * service ports for the builder plus the expected packet flows (output in rule order, "" = no
 * kube-proxy rule matched, masq). Shared by the tracer tests, the kernel tests and the bench.
 */
import type { KubeServicePort, KubeRulesConfig } from '@/testkit/kube-proxy-writer/model';
import type { Protocol } from '@/lib/model/trace';

export interface FlowCase {
  id: string;
  src: string;
  dst: string;
  port: number;
  proto?: Protocol;
  output: string;
  masq?: boolean;
}

export interface UpstreamFixture {
  name: string;
  services: KubeServicePort[];
  config?: KubeRulesConfig;
  flows: FlowCase[];
}

/** testNodeIPs: what upstream treats as LOCAL (plus loopback). */
export const TEST_NODE_IPS = ['192.168.0.2', '192.168.1.2', '192.168.99.11', '2001:db8::1', '2001:db8:1::2'];

const p80 = { portName: 'p80', port: 80 } as const;
const T = 'test-node';

export const FIXTURE_A: UpstreamFixture = {
  name: 'A TestTracePacket',
  services: [
    { ns: 'ns1', name: 'svc1', ...p80, clusterIP: '172.30.0.41', endpoints: [{ ip: '10.180.0.1' }] },
    {
      ns: 'ns2',
      name: 'svc2',
      ...p80,
      clusterIP: '172.30.0.42',
      nodePort: 3001,
      lbIPs: ['1.2.3.4'],
      externalIPs: ['192.168.99.22'],
      etp: 'Local',
      healthCheckNodePort: 30000,
      endpoints: [{ ip: '10.180.0.2' }],
    },
    { ns: 'ns3', name: 'svc3', ...p80, clusterIP: '172.30.0.43', nodePort: 3003, endpoints: [{ ip: '10.180.0.3' }] },
    {
      ns: 'ns4',
      name: 'svc4',
      ...p80,
      clusterIP: '172.30.0.44',
      externalIPs: ['192.168.99.33'],
      endpoints: [{ ip: '10.180.0.4' }, { ip: '10.180.0.5', node: T }],
    },
    {
      ns: 'ns5',
      name: 'svc5',
      ...p80,
      clusterIP: '172.30.0.45',
      nodePort: 3002,
      lbIPs: ['5.6.7.8'],
      healthCheckNodePort: 30000,
      sourceRanges: [' 203.0.113.0/25'],
      affinitySeconds: 10800,
      endpoints: [{ ip: '10.180.0.3' }],
    },
    { ns: 'ns6', name: 'svc6', ...p80, clusterIP: '172.30.0.46', endpoints: [] },
  ],
  flows: [
    { id: 'A1', src: '10.0.0.2', dst: '10.0.0.3', port: 80, output: '', masq: false },
    { id: 'A2', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: false },
    { id: 'A3', src: '10.0.0.2', dst: '172.30.0.44', port: 80, output: '10.180.0.4:80, 10.180.0.5:80', masq: false },
    { id: 'A4', src: '192.168.0.2', dst: '192.168.99.22', port: 80, output: '10.180.0.2:80', masq: true },
    { id: 'A5', src: '203.0.113.2', dst: '192.168.99.22', port: 80, output: 'DROP', masq: false },
    { id: 'A6', src: '192.168.0.2', dst: '192.168.0.2', port: 30000, output: 'ACCEPT', masq: false },
    { id: 'A7', src: '10.0.0.2', dst: '172.30.0.46', port: 80, output: 'REJECT', masq: false },
  ],
};

export const FIXTURE_B: UpstreamFixture = {
  name: 'B TestNoEndpointsReject',
  services: [
    {
      ns: 'ns1',
      name: 'svc1',
      ...p80,
      clusterIP: '172.30.0.41',
      nodePort: 3001,
      externalIPs: ['192.168.99.11'],
      lbIPs: ['1.2.3.4'],
      endpoints: [],
    },
  ],
  flows: [
    { id: 'B1', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: 'REJECT' },
    { id: 'B2', src: '203.0.113.2', dst: '192.168.99.11', port: 80, output: 'REJECT' },
    { id: 'B3', src: '10.0.0.2', dst: '192.168.0.2', port: 3001, output: 'REJECT' },
    { id: 'B4', src: '203.0.113.2', dst: '192.168.0.2', port: 3001, output: 'REJECT' },
    { id: 'B5', src: '10.0.0.2', dst: '1.2.3.4', port: 80, output: 'REJECT' },
    { id: 'B6', src: '203.0.113.2', dst: '1.2.3.4', port: 80, output: 'REJECT' },
  ],
};

const c2eps = (port: number) => [
  { ip: '10.180.0.1', port, node: T },
  { ip: '10.180.2.1', port, node: 'node2' },
];
export const FIXTURE_C: UpstreamFixture = {
  name: 'C TestClusterIPGeneral',
  services: [
    {
      ns: 'ns1',
      name: 'svc1',
      portName: 'http',
      port: 80,
      clusterIP: '172.30.0.41',
      endpoints: [{ ip: '10.180.0.1', node: T }],
    },
    { ns: 'ns2', name: 'svc2', portName: 'http', port: 80, clusterIP: '172.30.0.42', endpoints: c2eps(80) },
    { ns: 'ns2', name: 'svc2', portName: 'https', port: 443, clusterIP: '172.30.0.42', endpoints: c2eps(8443) },
    {
      ns: 'ns2',
      name: 'svc2',
      portName: 'dns-udp',
      proto: 'udp',
      port: 53,
      clusterIP: '172.30.0.42',
      endpoints: c2eps(53),
    },
    { ns: 'ns2', name: 'svc2', portName: 'dns-tcp', port: 53, clusterIP: '172.30.0.42', endpoints: c2eps(5353) },
    {
      ns: 'ns2',
      name: 'svc2',
      portName: 'dns-sctp',
      proto: 'sctp',
      port: 53,
      clusterIP: '172.30.0.42',
      endpoints: c2eps(53),
    },
  ],
  flows: [
    { id: 'C1', src: '10.180.0.2', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: false },
    { id: 'C2', src: '10.180.0.1', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: true },
    { id: 'C3', src: '10.180.0.2', dst: '172.30.0.42', port: 80, output: '10.180.0.1:80, 10.180.2.1:80', masq: false },
    {
      id: 'C4',
      src: '10.180.0.2',
      dst: '172.30.0.42',
      port: 443,
      output: '10.180.0.1:8443, 10.180.2.1:8443',
      masq: false,
    },
    {
      id: 'C5',
      src: '10.180.0.2',
      dst: '172.30.0.42',
      port: 53,
      output: '10.180.0.1:5353, 10.180.2.1:5353',
      masq: false,
    },
    {
      id: 'C6',
      proto: 'udp',
      src: '10.180.0.2',
      dst: '172.30.0.42',
      port: 53,
      output: '10.180.0.1:53, 10.180.2.1:53',
      masq: false,
    },
    {
      id: 'C7',
      proto: 'sctp',
      src: '10.180.0.2',
      dst: '172.30.0.42',
      port: 53,
      output: '10.180.0.1:53, 10.180.2.1:53',
      masq: false,
    },
    { id: 'C8', proto: 'udp', src: '10.180.0.2', dst: '172.30.0.42', port: 80, output: '', masq: false },
    { id: 'C9', src: '10.180.0.2', dst: '172.30.0.41', port: 443, output: '', masq: false },
  ],
};

const EP1 = '10.180.0.1:80';
export const FIXTURE_D: UpstreamFixture = {
  name: 'D TestLoadBalancer',
  services: [
    {
      ns: 'ns1',
      name: 'svc1',
      ...p80,
      clusterIP: '172.30.0.41',
      nodePort: 3001,
      lbIPs: ['1.2.3.4', '5.6.7.8'],
      sourceRanges: ['192.168.0.0/24', ' 203.0.113.0/25'],
      endpoints: [{ ip: '10.180.0.1' }],
    },
  ],
  flows: [
    { id: 'D1', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: EP1, masq: false },
    { id: 'D2', src: '203.0.113.2', dst: '192.168.0.2', port: 3001, output: EP1, masq: true },
    { id: 'D3', src: '203.0.113.130', dst: '192.168.0.2', port: 3001, output: EP1, masq: true },
    { id: 'D4', src: '203.0.113.2', dst: '1.2.3.4', port: 80, output: EP1, masq: true },
    { id: 'D5', src: '203.0.113.2', dst: '5.6.7.8', port: 80, output: EP1, masq: true },
    { id: 'D6', src: '203.0.113.130', dst: '1.2.3.4', port: 80, output: 'DROP', masq: false },
    { id: 'D7', src: '203.0.113.130', dst: '5.6.7.8', port: 80, output: 'DROP', masq: false },
    { id: 'D8', src: '10.0.0.2', dst: '1.2.3.4', port: 80, output: 'DROP', masq: false },
    { id: 'D9', src: '10.0.0.2', dst: '5.6.7.8', port: 80, output: 'DROP', masq: false },
    { id: 'D10', src: '192.168.0.2', dst: '1.2.3.4', port: 80, output: EP1, masq: true },
    { id: 'D11', src: '192.168.0.2', dst: '5.6.7.8', port: 80, output: EP1, masq: true },
    { id: 'D12', src: '1.2.3.4', dst: '1.2.3.4', port: 80, output: EP1, masq: true },
    { id: 'D13', src: '5.6.7.8', dst: '5.6.7.8', port: 80, output: EP1, masq: true },
  ],
};

const both = '10.180.0.1:80, 10.180.2.1:80';
const eSvc = (v6: boolean): KubeServicePort => ({
  ns: 'ns1',
  name: 'svc1',
  ...p80,
  clusterIP: v6 ? 'fd00:172:30::41' : '172.30.0.41',
  nodePort: 3001,
  endpoints: v6
    ? [{ ip: 'fd00:10:180::1' }, { ip: 'fd00:10:180::2:1', node: T }]
    : [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: T }],
});
function fixtureE(tag: string, v6: boolean, cfg: KubeRulesConfig, e4: boolean, e5: boolean): UpstreamFixture {
  const out = v6 ? '[fd00:10:180::1]:80, [fd00:10:180::2:1]:80' : both;
  const c = v6
    ? {
        pod: 'fd00:10::2',
        ext: '2600:5200::1',
        node: '2001:db8::1',
        alt: '2001:db8:1::2',
        lo: '::1',
        cip: 'fd00:172:30::41',
      }
    : {
        pod: '10.0.0.2',
        ext: '203.0.113.2',
        node: '192.168.0.2',
        alt: '192.168.1.2',
        lo: '127.0.0.1',
        cip: '172.30.0.41',
      };
  return {
    name: `E TestNodePorts ${tag}`,
    services: [eSvc(v6)],
    config: {
      family: v6 ? 6 : 4,
      nodeIPs: v6 ? ['2001:db8::1', '2001:db8:1::2'] : ['192.168.0.2', '192.168.1.2', '192.168.99.11'],
      ...cfg,
    },
    flows: [
      { id: `E1 ${tag}`, src: c.pod, dst: c.cip, port: 80, output: out, masq: false },
      { id: `E2 ${tag}`, src: c.ext, dst: c.node, port: 3001, output: out, masq: true },
      { id: `E3 ${tag}`, src: c.node, dst: c.node, port: 3001, output: out, masq: true },
      { id: `E4 ${tag}`, src: c.lo, dst: c.lo, port: 3001, output: e4 ? out : '', masq: e4 },
      { id: `E5 ${tag}`, src: c.ext, dst: c.alt, port: 3001, output: e5 ? out : '', masq: e5 },
    ],
  };
}
export const FIXTURES_E: UpstreamFixture[] = [
  fixtureE('v4/on/unset', false, {}, true, true),
  fixtureE('v4/off/unset', false, { localhostNodePorts: false }, false, true),
  fixtureE(
    'v4/off/192.168.0.0/24,127.0.0.1/32',
    false,
    { localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32'] },
    false,
    false,
  ),
  fixtureE(
    'v4/off/three',
    false,
    { localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'] },
    false,
    true,
  ),
  fixtureE('v6/on/unset', true, { localhostNodePorts: true }, false, true),
  fixtureE('v6/off/unset', true, { localhostNodePorts: false }, false, true),
  fixtureE(
    'v6/off/three',
    true,
    { localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'] },
    false,
    false,
  ),
];

export const FIXTURE_F: UpstreamFixture = {
  name: 'F TestHealthCheckNodePort',
  config: { nodePortAddresses: ['127.0.0.0/8'] },
  services: [
    {
      ns: 'ns1',
      name: 'svc1',
      ...p80,
      clusterIP: '172.30.0.42',
      nodePort: 3001,
      healthCheckNodePort: 30000,
      etp: 'Local',
      lbIPs: ['1.2.3.4'],
      endpoints: [],
    },
  ],
  flows: [{ id: 'F1', src: '1.2.3.4', dst: '192.168.0.2', port: 30000, output: 'ACCEPT', masq: false }],
};

const gSvc = (etp: 'Local' | 'Cluster'): KubeServicePort => ({
  ns: 'ns1',
  name: 'svc1',
  ...p80,
  clusterIP: '172.30.0.41',
  nodePort: 3001,
  healthCheckNodePort: 30000,
  externalIPs: ['192.168.99.11'],
  lbIPs: ['1.2.3.4'],
  etp,
  endpoints: [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: T }],
});
export const FIXTURE_G: UpstreamFixture = {
  name: 'G TestExternalTrafficPolicyLocal',
  services: [gSvc('Local')],
  flows: [
    { id: 'G1', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: both, masq: false },
    { id: 'G2', src: '10.0.0.2', dst: '192.168.99.11', port: 80, output: both, masq: false },
    { id: 'G3', src: '203.0.113.2', dst: '192.168.99.11', port: 80, output: '10.180.2.1:80', masq: false },
    { id: 'G4', src: '10.0.0.2', dst: '1.2.3.4', port: 80, output: both, masq: false },
    { id: 'G5', src: '203.0.113.2', dst: '1.2.3.4', port: 80, output: '10.180.2.1:80', masq: false },
    { id: 'G6', src: '10.0.0.2', dst: '192.168.0.2', port: 3001, output: both, masq: false },
    { id: 'G7', src: '203.0.113.2', dst: '192.168.0.2', port: 3001, output: '10.180.2.1:80', masq: false },
  ],
};
export const FIXTURE_H: UpstreamFixture = {
  name: 'H TestExternalTrafficPolicyCluster',
  services: [gSvc('Cluster')],
  flows: [
    { id: 'H1', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: both, masq: false },
    { id: 'H2', src: '10.0.0.2', dst: '192.168.99.11', port: 80, output: both, masq: true },
    { id: 'H3', src: '203.0.113.2', dst: '192.168.99.11', port: 80, output: both, masq: true },
    { id: 'H4', src: '10.0.0.2', dst: '1.2.3.4', port: 80, output: both, masq: true },
    { id: 'H5', src: '203.0.113.2', dst: '1.2.3.4', port: 80, output: both, masq: true },
    { id: 'H6', src: '10.0.0.2', dst: '192.168.0.2', port: 3001, output: both, masq: true },
    { id: 'H7', src: '203.0.113.2', dst: '192.168.0.2', port: 3001, output: both, masq: true },
  ],
};

const iSvc = (itp: 'Local' | 'Cluster', eps: { ip: string; node: string }[]): KubeServicePort => ({
  ns: 'ns1',
  name: 'svc1',
  port: 80,
  clusterIP: '172.30.1.1',
  itp,
  endpoints: eps,
});
const iFlow = (id: string, output: string): FlowCase => ({
  id,
  src: '10.0.0.2',
  dst: '172.30.1.1',
  port: 80,
  output,
  masq: false,
});
const i3 = [
  { ip: '10.0.1.1', node: T },
  { ip: '10.0.1.2', node: 'node1' },
  { ip: '10.0.1.3', node: 'node2' },
];
export const FIXTURES_I: UpstreamFixture[] = [
  { name: 'I1', services: [iSvc('Cluster', i3)], flows: [iFlow('I1', '10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80')] },
  { name: 'I2', services: [iSvc('Local', i3)], flows: [iFlow('I2', '10.0.1.1:80')] },
  {
    name: 'I3',
    services: [
      iSvc('Local', [
        { ip: '10.0.1.1', node: T },
        { ip: '10.0.1.2', node: T },
        { ip: '10.0.1.3', node: 'node2' },
      ]),
    ],
    flows: [iFlow('I3', '10.0.1.1:80, 10.0.1.2:80')],
  },
  {
    name: 'I4',
    services: [
      iSvc('Local', [
        { ip: '10.0.1.1', node: 'node0' },
        { ip: '10.0.1.2', node: 'node1' },
        { ip: '10.0.1.3', node: 'node2' },
      ]),
    ],
    flows: [iFlow('I4', 'DROP')],
  },
  { name: 'I5', services: [iSvc('Local', [])], flows: [iFlow('I5', 'REJECT')] },
];
