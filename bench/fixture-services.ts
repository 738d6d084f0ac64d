/**
 * Hand-picked service ports for the golden fixtures: one of each shape kube-proxy writes
 * (ClusterIP, NodePort, LB with source ranges, ETP=Local, ITP=Local, affinity, no endpoints,
 * an unnamed UDP port, an ETP=Local service with no local endpoints). Node-local endpoints
 * are on 10.244.1.0/24. The rules are written by testkit/kube-proxy-writer.
 *
 * CLI: `node --import tsx bench/fixture-services.ts ipv4|ipv6` prints the restore input
 * (scripts/capture-fixtures/iptables.sh loads it into real iptables and captures it back).
 */
import { buildKubeRules, type KubeServicePort } from '@/testkit/kube-proxy-writer/iptables';

/** The node whose rules the fixtures show. */
export const FIXTURE_NODE = 'fixture-node';

const ep = (ip: string, port: number, local: boolean) => ({ ip, port, node: local ? FIXTURE_NODE : 'other-node' });

export const FIXTURE_SERVICES_V4: KubeServicePort[] = [
  {
    ns: 'default',
    name: 'kubernetes',
    portName: 'https',
    proto: 'tcp',
    clusterIP: '10.96.0.1',
    port: 443,
    endpoints: [ep('192.168.77.11', 6443, true)],
  },
  {
    ns: 'kube-system',
    name: 'kube-dns',
    portName: 'dns',
    proto: 'udp',
    clusterIP: '10.96.0.10',
    port: 53,
    endpoints: [ep('10.244.1.5', 53, true), ep('10.244.2.7', 53, false)],
  },
  {
    ns: 'kube-system',
    name: 'kube-dns',
    portName: 'dns-tcp',
    proto: 'tcp',
    clusterIP: '10.96.0.10',
    port: 53,
    endpoints: [ep('10.244.1.5', 53, true), ep('10.244.2.7', 53, false)],
  },
  {
    ns: 'shop',
    name: 'web',
    portName: 'http',
    proto: 'tcp',
    clusterIP: '10.96.10.20',
    port: 80,
    nodePort: 30080,
    endpoints: [ep('10.244.1.10', 8080, true), ep('10.244.2.11', 8080, false), ep('10.244.3.12', 8080, false)],
  },
  {
    ns: 'shop',
    name: 'lb-fw',
    portName: 'https',
    proto: 'tcp',
    clusterIP: '10.96.10.30',
    port: 443,
    nodePort: 31443,
    lbIPs: ['203.0.113.30'],
    sourceRanges: ['198.51.100.0/24', '192.0.2.0/25'],
    endpoints: [ep('10.244.1.20', 8443, true), ep('10.244.2.21', 8443, false)],
  },
  {
    ns: 'shop',
    name: 'lb-local',
    portName: 'http',
    proto: 'tcp',
    clusterIP: '10.96.10.40',
    port: 80,
    nodePort: 30040,
    lbIPs: ['203.0.113.40'],
    etp: 'Local',
    healthCheckNodePort: 32040,
    endpoints: [ep('10.244.1.30', 8080, true), ep('10.244.2.31', 8080, false)],
  },
  {
    ns: 'shop',
    name: 'lb-local-none',
    portName: 'http',
    proto: 'tcp',
    clusterIP: '10.96.10.41',
    port: 80,
    nodePort: 30041,
    lbIPs: ['203.0.113.41'],
    etp: 'Local',
    healthCheckNodePort: 32041,
    endpoints: [ep('10.244.2.35', 8080, false)],
  },
  {
    ns: 'shop',
    name: 'cache',
    proto: 'tcp',
    clusterIP: '10.96.10.50',
    port: 6379,
    itp: 'Local',
    endpoints: [ep('10.244.1.40', 6379, true), ep('10.244.2.41', 6379, false)],
  },
  {
    ns: 'shop',
    name: 'sticky',
    portName: 'http',
    proto: 'tcp',
    clusterIP: '10.96.10.60',
    port: 80,
    affinitySeconds: 10800,
    externalIPs: ['192.0.2.60'],
    endpoints: [ep('10.244.1.50', 8080, true), ep('10.244.2.51', 8080, false)],
  },
  {
    ns: 'shop',
    name: 'empty',
    portName: 'http',
    proto: 'tcp',
    clusterIP: '10.96.10.70',
    port: 80,
    nodePort: 30070,
    endpoints: [],
  },
  {
    ns: 'media',
    name: 'stream',
    proto: 'sctp',
    clusterIP: '10.96.20.10',
    port: 9000,
    endpoints: [ep('10.244.1.60', 9000, true)],
  },
];

export const FIXTURE_SERVICES_V6: KubeServicePort[] = [
  {
    ns: 'default',
    name: 'kubernetes',
    portName: 'https',
    proto: 'tcp',
    clusterIP: 'fd00:10:96::1',
    port: 443,
    endpoints: [ep('fd00:77::11', 6443, true)],
  },
  {
    ns: 'shop',
    name: 'web',
    portName: 'http',
    proto: 'tcp',
    clusterIP: 'fd00:10:96::a',
    port: 80,
    nodePort: 30080,
    endpoints: [ep('fd00:10:244:1::a', 8080, true), ep('fd00:10:244:2::b', 8080, false)],
  },
  {
    ns: 'shop',
    name: 'lb-local',
    portName: 'http',
    proto: 'tcp',
    clusterIP: 'fd00:10:96::28',
    port: 80,
    nodePort: 30040,
    lbIPs: ['2001:db8::28'],
    etp: 'Local',
    healthCheckNodePort: 32040,
    endpoints: [ep('fd00:10:244:1::1e', 8080, true)],
  },
  { ns: 'shop', name: 'empty', portName: 'http', proto: 'udp', clusterIP: 'fd00:10:96::46', port: 80, endpoints: [] },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const v6 = process.argv[2] === 'ipv6';
  const cfg = {
    nodeName: FIXTURE_NODE,
    podCIDR: v6 ? 'fd00:10:244::/64' : '10.244.0.0/16',
    family: v6 ? 6 : 4,
  } as const;
  process.stdout.write(buildKubeRules(v6 ? FIXTURE_SERVICES_V6 : FIXTURE_SERVICES_V4, cfg));
}
