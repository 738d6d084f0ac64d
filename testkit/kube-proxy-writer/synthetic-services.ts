/**
 * The bench's synthetic cluster: `count` Service ports, mostly ClusterIP, with a share of
 * NodePort, LoadBalancer (some with source ranges), ETP=Local, ITP=Local, session affinity and
 * no-endpoint ones, roughly the mix of a large real cluster; deterministic for a given count.
 * The dump is written by the production-shaped writer (testkit/kube-proxy-writer) with SVC→SEP
 * comments kept (below kube-proxy's 1000-endpoint large-cluster threshold form), the heavier text
 * for a parser.
 *
 * CLI: `node --import tsx testkit/kube-proxy-writer/synthetic-services.ts SERVICES [ENDPOINTS] > dump.save`
 */
import { buildKubeRules, type KubeEndpoint, type KubeServicePort } from '@/testkit/kube-proxy-writer/iptables';

/** The node whose ruleset the bench dumps (endpoints on it are local). */
export const BENCH_NODE = 'bench-node';

export function syntheticServices(count: number, endpointsPerService: number): KubeServicePort[] {
  const out: KubeServicePort[] = [];
  for (let i = 0; i < count; i++) {
    const a = (i >> 8) & 255;
    const b = i & 255;
    const endpoints: KubeEndpoint[] = [];
    const noEndpoints = i % 97 === 13;
    for (let e = 0; !noEndpoints && e < endpointsPerService; e++) {
      const n = i * endpointsPerService + e;
      endpoints.push({
        ip: `10.${128 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`,
        port: 8080,
        node: e % 3 === 0 ? BENCH_NODE : 'other-node',
      });
    }
    const s: KubeServicePort = {
      ns: `ns${i % 50}`,
      name: `svc-${i}`,
      portName: i % 4 === 0 ? undefined : 'http',
      proto: i % 10 === 7 ? 'udp' : 'tcp',
      clusterIP: `10.96.${a}.${b}`,
      port: 80,
      endpoints,
    };
    if (i % 10 === 1 || i % 10 === 2) s.nodePort = 30000 + (i % 2768);
    if (i % 10 === 2) {
      s.lbIPs = [`203.0.${a}.${b}`];
      if (i % 20 === 2) s.sourceRanges = ['198.51.100.0/24', '192.0.2.0/25'];
      if (i % 30 === 2) {
        s.etp = 'Local';
        s.healthCheckNodePort = 32000 + (i % 700);
      }
    }
    if (i % 50 === 5) s.itp = 'Local';
    if (i % 25 === 3) s.affinitySeconds = 10800;
    out.push(s);
  }
  return out;
}

/** The bench's dump: `count` synthetic services × `endpoints` endpoints each. */
export function generateSyntheticDump(count: number, endpoints = 5): string {
  return buildKubeRules(syntheticServices(count, endpoints), { nodeName: BENCH_NODE, podCIDR: '10.244.0.0/16' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(generateSyntheticDump(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 5)));
}
