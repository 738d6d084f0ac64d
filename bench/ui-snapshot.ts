/**
 * Builds the UI bench's large snapshot: N ClusterIP Services (1-3 endpoints each) plus one Service
 * with 500 endpoints, as kube-proxy-shaped rules loaded into a real netns with iptables-restore and
 * read back with `iptables-save -c` (root). Interfaces and routes come from the demo's node-a.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApiObjects, EndpointSliceModel, PodModel, ServiceModel } from '@/lib/model/k8s';
import type { ClusterSnapshot, RawCapture } from '@/lib/model/snapshot';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import { servicePortsFromApi } from '@/testkit/kube-proxy-writer/from-api';

export const BIG_SERVICE = { namespace: 'bench', name: 'fanout-500', clusterIP: '10.100.255.250', port: 80 };
/** The 500-endpoint figure's baseline in the same run: the same expansion with 16 endpoints. */
export const SMALL_FANOUT = { namespace: 'bench', name: 'fanout-16', clusterIP: '10.100.255.249', port: 80 };

function ip(i: number, base: number): string {
  return `10.${base + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
}

export function syntheticApi(services: number): ApiObjects {
  const svcs: ServiceModel[] = [],
    slices: EndpointSliceModel[] = [],
    pods: PodModel[] = [];
  let podN = 0;
  const add = (namespace: string, name: string, clusterIP: string, n: number) => {
    svcs.push({
      namespace,
      name,
      type: 'ClusterIP',
      clusterIPs: [clusterIP],
      externalIPs: [],
      loadBalancerIPs: [],
      loadBalancerSourceRanges: [],
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
    });
    const endpoints = Array.from({ length: n }, () => {
      const pip = ip(++podN, 200);
      const node = podN % 2 ? 'node-a' : 'node-b';
      pods.push({ namespace, name: `${name}-${podN}`, nodeName: node, podIPs: [pip], ready: true, hostNetwork: false });
      return {
        addresses: [pip],
        ready: true,
        serving: true,
        terminating: false,
        nodeName: node,
        targetRef: { kind: 'Pod', namespace, name: `${name}-${podN}` },
      };
    });
    slices.push({
      namespace,
      name: `${name}-x`,
      service: name,
      addressType: 'IPv4',
      apiVersion: 'discovery.k8s.io/v1',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints,
    });
  };
  for (let i = 0; i < services; i++) add(`ns-${i % 50}`, `svc-${i}`, ip(i + 1, 100), 1 + (i % 3));
  add(BIG_SERVICE.namespace, BIG_SERVICE.name, BIG_SERVICE.clusterIP, 500);
  add(SMALL_FANOUT.namespace, SMALL_FANOUT.name, SMALL_FANOUT.clusterIP, 16);
  return {
    services: svcs,
    endpointSlices: slices,
    pods,
    nodes: [
      { name: 'node-a', addresses: [{ type: 'InternalIP', address: '192.168.50.11' }], podCIDRs: ['10.244.1.0/24'] },
    ],
    notes: [],
  };
}

/** Real iptables round trip in a private netns; needs root. */
export function buildUiSnapshot(services: number, demoPath: string): ClusterSnapshot {
  const demo = JSON.parse(readFileSync(demoPath, 'utf8')) as ClusterSnapshot;
  const nodeA = demo.nodes.find((n) => n.name === 'node-a' && !n.error);
  if (!nodeA) throw new Error(`${demoPath} has no collected node-a`);
  const api = syntheticApi(services);
  const rules = buildKubeRules(servicePortsFromApi(api), {
    nodeName: 'node-a',
    nodeIPs: ['192.168.50.11'],
    podCIDR: '10.0.0.0/8',
  });
  const ns = `kp${randomBytes(2).toString('hex')}-uibench`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    execFileSync('ip', ['netns', 'exec', ns, 'iptables-restore'], { input: rules, maxBuffer: 1 << 30 });
    const out = execFileSync('ip', ['netns', 'exec', ns, 'iptables-save', '-c'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const cap: RawCapture = {
      command: 'iptables-save -c',
      stdout: out,
      stderr: '',
      exitCode: 0,
      sha256: createHash('sha256').update(out).digest('hex'),
    };
    return {
      ...demo,
      cluster: { name: `ui-bench ${services} services` },
      nodes: [{ ...nodeA, captures: { ...nodeA.captures, 'iptables-save': cap }, pods: [] }],
      api,
    };
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}
