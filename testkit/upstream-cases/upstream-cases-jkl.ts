/**
 * Upstream fixtures J, K (terminating endpoints under ETP Local / Cluster) and L (the
 * internal/external masquerade matrix with its three variants), docs/kube-proxy-semantics.md §2.4.
 */
import type { KubeEndpoint, KubeServicePort, KubeRulesConfig } from '@/testkit/kube-proxy-writer/model';
import type { FlowCase, UpstreamFixture } from '@/testkit/upstream-cases/upstream-cases';

const T = 'test-node';
const R = (n: number, node?: string): KubeEndpoint => ({ ip: `10.0.1.${n}`, node, ready: true });
const ST = (n: number, node?: string): KubeEndpoint => ({
  ip: `10.0.1.${n}`,
  node,
  ready: false,
  serving: true,
  terminating: true,
});
const TO = (n: number, node?: string): KubeEndpoint => ({
  ip: `10.0.1.${n}`,
  node,
  ready: false,
  serving: false,
  terminating: true,
});
const NS = (n: number, node?: string): KubeEndpoint => ({
  ip: `10.0.1.${n}`,
  node,
  ready: false,
  serving: false,
  terminating: false,
});
const list = (...n: number[]): string => n.map((x) => `10.0.1.${x}:80`).join(', ');

function jk(id: string, etp: 'Local' | 'Cluster', eps: KubeEndpoint[], pod: string, ext: string): UpstreamFixture {
  const svc: KubeServicePort = {
    ns: 'ns1',
    name: 'svc1',
    port: 80,
    clusterIP: '172.30.1.1',
    lbIPs: ['1.2.3.4'],
    healthCheckNodePort: 30000,
    etp,
    endpoints: eps,
  };
  const extMasq = etp === 'Cluster' && ext !== 'REJECT' && ext !== 'DROP';
  return {
    name: `${etp === 'Local' ? 'J' : 'K'} ${id}`,
    services: [svc],
    flows: [
      { id: `${id} pod`, src: '10.0.0.2', dst: '172.30.1.1', port: 80, output: pod, masq: false },
      { id: `${id} ext`, src: '203.0.113.2', dst: '1.2.3.4', port: 80, output: ext, masq: extMasq },
    ],
  };
}

export const FIXTURES_JK: UpstreamFixture[] = [
  jk('J1', 'Local', [R(1, T), R(2, T), ST(3, T), TO(4, T), R(5, 'node-1')], list(1, 2, 5), list(1, 2)),
  jk('J2', 'Local', [ST(2, T), ST(3, T), TO(4, T), R(5, 'node-1')], list(5), list(2, 3)),
  jk('J3', 'Local', [ST(5, 'node-1')], list(5), 'DROP'),
  jk('J4', 'Local', [NS(5, 'node-1')], 'REJECT', 'REJECT'),
  jk('J5', 'Local', [], 'REJECT', 'REJECT'),
  jk(
    'K1',
    'Cluster',
    [R(1, T), R(2, T), ST(3, 'another-node'), NS(4, 'another-node'), R(5, 'another-node')],
    list(1, 2, 5),
    list(1, 2, 5),
  ),
  jk('K2', 'Cluster', [ST(2, T), ST(3, T), NS(4, 'another-node'), ST(5, 'another-node')], list(2, 3, 5), list(2, 3, 5)),
  jk('K3', 'Cluster', [ST(5, 'node-1')], list(5), list(5)),
  jk('K4', 'Cluster', [NS(5, 'node-1')], 'REJECT', 'REJECT'),
];

const lEps = (i: number): KubeEndpoint[] => [
  { ip: `10.180.0.${i}`, node: T },
  { ip: `10.180.1.${i}`, node: 'node2' },
];
const L_SERVICES: KubeServicePort[] = [
  {
    ns: 'ns1',
    name: 'svc1',
    portName: 'p80',
    port: 80,
    clusterIP: '172.30.0.41',
    nodePort: 3001,
    healthCheckNodePort: 30001,
    lbIPs: ['1.2.3.4'],
    endpoints: lEps(1),
  },
  {
    ns: 'ns2',
    name: 'svc2',
    portName: 'p80',
    port: 80,
    clusterIP: '172.30.0.42',
    nodePort: 3002,
    healthCheckNodePort: 30002,
    lbIPs: ['5.6.7.8'],
    etp: 'Local',
    endpoints: lEps(2),
  },
  {
    ns: 'ns3',
    name: 'svc3',
    portName: 'p80',
    port: 80,
    clusterIP: '172.30.0.43',
    nodePort: 3003,
    healthCheckNodePort: 30003,
    lbIPs: ['9.10.11.12'],
    itp: 'Local',
    endpoints: lEps(3),
  },
];
const E = (i: number): string => `10.180.0.${i}:80, 10.180.1.${i}:80`;
const SRC = { pod: '10.0.0.2', node: '192.168.0.2', lo: '127.0.0.1', ext: '203.0.113.2' } as const;
type Src = keyof typeof SRC;

// [id, source, dst, port, output, masq]
const L_BASE: [string, Src, string, number, string, boolean][] = [
  ['pod→.41', 'pod', '172.30.0.41', 80, E(1), false],
  ['pod→3001', 'pod', '192.168.0.2', 3001, E(1), true],
  ['pod→1.2.3.4', 'pod', '1.2.3.4', 80, E(1), true],
  ['node→.41', 'node', '172.30.0.41', 80, E(1), true],
  ['node→3001', 'node', '192.168.0.2', 3001, E(1), true],
  ['localhost→3001', 'lo', '127.0.0.1', 3001, E(1), true],
  ['node→1.2.3.4', 'node', '1.2.3.4', 80, E(1), true],
  ['ext→.41', 'ext', '172.30.0.41', 80, E(1), true],
  ['ext→3001', 'ext', '192.168.0.2', 3001, E(1), true],
  ['ext→1.2.3.4', 'ext', '1.2.3.4', 80, E(1), true],
  ['pod→.42', 'pod', '172.30.0.42', 80, E(2), false],
  ['pod→3002', 'pod', '192.168.0.2', 3002, E(2), false],
  ['pod→5.6.7.8', 'pod', '5.6.7.8', 80, E(2), false],
  ['node→.42', 'node', '172.30.0.42', 80, E(2), true],
  ['node→3002', 'node', '192.168.0.2', 3002, E(2), true],
  ['localhost→3002', 'lo', '127.0.0.1', 3002, E(2), true],
  ['node→5.6.7.8', 'node', '5.6.7.8', 80, E(2), true],
  ['ext→.42', 'ext', '172.30.0.42', 80, E(2), true],
  ['ext→3002', 'ext', '192.168.0.2', 3002, '10.180.0.2:80', false],
  ['ext→5.6.7.8', 'ext', '5.6.7.8', 80, '10.180.0.2:80', false],
  ['pod→.43', 'pod', '172.30.0.43', 80, '10.180.0.3:80', false],
  ['pod→3003', 'pod', '192.168.0.2', 3003, E(3), true],
  ['pod→9.10.11.12', 'pod', '9.10.11.12', 80, E(3), true],
  ['node→.43', 'node', '172.30.0.43', 80, '10.180.0.3:80', true],
  ['node→3003', 'node', '192.168.0.2', 3003, E(3), true],
  ['localhost→3003', 'lo', '127.0.0.1', 3003, E(3), true],
  ['node→9.10.11.12', 'node', '9.10.11.12', 80, E(3), true],
  ['ext→.43', 'ext', '172.30.0.43', 80, '10.180.0.3:80', true],
  ['ext→3003', 'ext', '192.168.0.2', 3003, E(3), true],
  ['ext→9.10.11.12', 'ext', '9.10.11.12', 80, E(3), true],
];

type Override = Record<string, [string, boolean]>;
const CIP_MASQ_FALSE: Override = Object.fromEntries(
  ['node→.41', 'ext→.41', 'node→.42', 'ext→.42', 'node→.43', 'ext→.43'].map((k) => [k, ['', false]]),
);
const POD_CIP_TRUE: Override = { 'pod→.41': [E(1), true], 'pod→.42': [E(2), true], 'pod→.43': ['10.180.0.3:80', true] };
const NO_SHORT_CIRCUIT: Override = { 'pod→3002': ['10.180.0.2:80', false], 'pod→5.6.7.8': ['10.180.0.2:80', false] };

function lFixture(tag: string, config: KubeRulesConfig, over: Override): UpstreamFixture {
  const flows: FlowCase[] = L_BASE.map(([id, src, dst, port, output, masq]) => {
    const o = over[id];
    // '' in an override means "same output, masq changed"
    return {
      id: `L ${tag} ${id}`,
      src: SRC[src],
      dst,
      port,
      output: o ? o[0] || output : output,
      masq: o ? o[1] : masq,
    };
  });
  return { name: `L TestInternalExternalMasquerade ${tag}`, services: L_SERVICES, config, flows };
}

export const FIXTURES_L: UpstreamFixture[] = [
  lFixture('base', {}, {}),
  lFixture('no-detector', { podCIDR: null }, { ...CIP_MASQ_FALSE, ...NO_SHORT_CIRCUIT }),
  lFixture('masquerade-all', { masqueradeAll: true }, POD_CIP_TRUE),
  lFixture(
    'masquerade-all,no-detector',
    { masqueradeAll: true, podCIDR: null },
    { ...POD_CIP_TRUE, ...NO_SHORT_CIRCUIT },
  ),
];
