/**
 * Hand-picked service ports for the golden fixtures: one of each shape kube-proxy writes
 * (ClusterIP, NodePort, LB with source ranges, ETP=Local, ITP=Local, affinity, no endpoints,
 * an unnamed UDP port, an ETP=Local service with no local endpoints). Node-local endpoints
 * are on 10.244.1.0/24.
 *
 * CLI: `node --import tsx bench/fixture-services.ts ipv4|ipv6` prints the restore input.
 */
import type { ServicePortSpec } from '@/bench/kube-proxy-shape';
import { generateKubeProxyDump } from '@/bench/gen-iptables';

const ep = (ip: string, port: number, local: boolean) => ({ ip, port, local });

export const FIXTURE_SERVICES_V4: ServicePortSpec[] = [
  { namespace: 'default', name: 'kubernetes', portName: 'https', protocol: 'tcp', clusterIP: '10.96.0.1', port: 443, endpoints: [ep('192.168.77.11', 6443, true)] },
  {
    namespace: 'kube-system', name: 'kube-dns', portName: 'dns', protocol: 'udp', clusterIP: '10.96.0.10', port: 53,
    endpoints: [ep('10.244.1.5', 53, true), ep('10.244.2.7', 53, false)],
  },
  {
    namespace: 'kube-system', name: 'kube-dns', portName: 'dns-tcp', protocol: 'tcp', clusterIP: '10.96.0.10', port: 53,
    endpoints: [ep('10.244.1.5', 53, true), ep('10.244.2.7', 53, false)],
  },
  {
    namespace: 'shop', name: 'web', portName: 'http', protocol: 'tcp', clusterIP: '10.96.10.20', port: 80, nodePort: 30080,
    endpoints: [ep('10.244.1.10', 8080, true), ep('10.244.2.11', 8080, false), ep('10.244.3.12', 8080, false)],
  },
  {
    namespace: 'shop', name: 'lb-fw', portName: 'https', protocol: 'tcp', clusterIP: '10.96.10.30', port: 443, nodePort: 31443,
    loadBalancerIPs: ['203.0.113.30'], sourceRanges: ['198.51.100.0/24', '192.0.2.0/25'],
    endpoints: [ep('10.244.1.20', 8443, true), ep('10.244.2.21', 8443, false)],
  },
  {
    namespace: 'shop', name: 'lb-local', portName: 'http', protocol: 'tcp', clusterIP: '10.96.10.40', port: 80, nodePort: 30040,
    loadBalancerIPs: ['203.0.113.40'], externalTrafficLocal: true, healthCheckNodePort: 32040,
    endpoints: [ep('10.244.1.30', 8080, true), ep('10.244.2.31', 8080, false)],
  },
  {
    namespace: 'shop', name: 'lb-local-none', portName: 'http', protocol: 'tcp', clusterIP: '10.96.10.41', port: 80, nodePort: 30041,
    loadBalancerIPs: ['203.0.113.41'], externalTrafficLocal: true, healthCheckNodePort: 32041,
    endpoints: [ep('10.244.2.35', 8080, false)],
  },
  {
    namespace: 'shop', name: 'cache', protocol: 'tcp', clusterIP: '10.96.10.50', port: 6379, internalTrafficLocal: true,
    endpoints: [ep('10.244.1.40', 6379, true), ep('10.244.2.41', 6379, false)],
  },
  {
    namespace: 'shop', name: 'sticky', portName: 'http', protocol: 'tcp', clusterIP: '10.96.10.60', port: 80, affinitySeconds: 10800,
    externalIPs: ['192.0.2.60'],
    endpoints: [ep('10.244.1.50', 8080, true), ep('10.244.2.51', 8080, false)],
  },
  { namespace: 'shop', name: 'empty', portName: 'http', protocol: 'tcp', clusterIP: '10.96.10.70', port: 80, nodePort: 30070, endpoints: [] },
  {
    namespace: 'media', name: 'stream', protocol: 'sctp', clusterIP: '10.96.20.10', port: 9000,
    endpoints: [ep('10.244.1.60', 9000, true)],
  },
];

export const FIXTURE_SERVICES_V6: ServicePortSpec[] = [
  { namespace: 'default', name: 'kubernetes', portName: 'https', protocol: 'tcp', clusterIP: 'fd00:10:96::1', port: 443, endpoints: [ep('fd00:77::11', 6443, true)] },
  {
    namespace: 'shop', name: 'web', portName: 'http', protocol: 'tcp', clusterIP: 'fd00:10:96::a', port: 80, nodePort: 30080,
    endpoints: [ep('fd00:10:244:1::a', 8080, true), ep('fd00:10:244:2::b', 8080, false)],
  },
  {
    namespace: 'shop', name: 'lb-local', portName: 'http', protocol: 'tcp', clusterIP: 'fd00:10:96::28', port: 80, nodePort: 30040,
    loadBalancerIPs: ['2001:db8::28'], externalTrafficLocal: true, healthCheckNodePort: 32040,
    endpoints: [ep('fd00:10:244:1::1e', 8080, true)],
  },
  { namespace: 'shop', name: 'empty', portName: 'http', protocol: 'udp', clusterIP: 'fd00:10:96::46', port: 80, endpoints: [] },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const v6 = process.argv[2] === 'ipv6';
  process.stdout.write(generateKubeProxyDump(v6 ? FIXTURE_SERVICES_V6 : FIXTURE_SERVICES_V4, { family: v6 ? 'ipv6' : 'ipv4' }));
}
