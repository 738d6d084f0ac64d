/**
 * The lab scenario is data that both the API (objects.sh) and the kernel side (network.sh) consume;
 * these checks catch an edit that would make them disagree, or that would silently lose one of the
 * demo's broken cases. Runs without root.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Scenario {
  nodes: { name: string; hostOctet: number; podCIDR: string; hostFirewall?: { pod: string; port: number } }[];
  clusterCIDR: string;
  serviceCIDR: string;
  pods: {
    ns: string;
    name: string;
    node: string;
    ip: string;
    labels: Record<string, string>;
    dnsPolicy?: string;
    role?: string;
    ready?: boolean;
  }[];
  services: {
    metadata: { namespace: string; name: string };
    spec: Record<string, unknown> & {
      selector?: Record<string, string>;
      clusterIP?: string;
      type?: string;
      externalTrafficPolicy?: string;
    };
  }[];
}

const scenario = JSON.parse(readFileSync(path.join(__dirname, 'scenario.json'), 'utf8')) as Scenario;

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
}

const selects = (sel: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(sel).every(([k, v]) => labels[k] === v);
const endpointsOf = (svc: string) => {
  const s = scenario.services.find((x) => `${x.metadata.namespace}/${x.metadata.name}` === svc)!;
  return scenario.pods.filter(
    (p) => p.ns === s.metadata.namespace && s.spec.selector && selects(s.spec.selector, p.labels),
  );
};

describe('lab scenario', () => {
  it('puts every pod IP inside its node podCIDR, once', () => {
    for (const p of scenario.pods) {
      const node = scenario.nodes.find((n) => n.name === p.node);
      expect(node, `${p.name} node`).toBeDefined();
      expect(inCidr(p.ip, node!.podCIDR), `${p.name} ${p.ip} in ${node!.podCIDR}`).toBe(true);
    }
    expect(new Set(scenario.pods.map((p) => p.ip)).size).toBe(scenario.pods.length);
  });

  it('gives ClusterIPs inside the service CIDR, once', () => {
    const ips = scenario.services.map((s) => s.spec.clusterIP).filter((ip): ip is string => !!ip && ip !== 'None');
    for (const ip of ips) expect(inCidr(ip, scenario.serviceCIDR), ip).toBe(true);
    expect(new Set(ips).size).toBe(ips.length);
  });

  it('keeps the endpoint shapes the lab test and the demo rely on', () => {
    expect(
      endpointsOf('default/web')
        .map((p) => p.node)
        .sort(),
    ).toEqual(['node-1', 'node-1', 'node-2']);
    expect(endpointsOf('default/api')).toHaveLength(1);
    expect(endpointsOf('default/no-endpoints')).toHaveLength(0);
    expect(endpointsOf('kube-system/kube-dns').map((p) => p.role)).toEqual(['dns']);
    // ETP=Local: local-only has endpoints on node-1 only; edge-local on every node.
    expect(new Set(endpointsOf('default/local-only').map((p) => p.node))).toEqual(new Set(['node-1']));
    expect(new Set(endpointsOf('default/edge-local').map((p) => p.node))).toEqual(
      new Set(scenario.nodes.map((n) => n.name)),
    );
  });

  it('has a fan-out Service large enough to collapse in the console, over both nodes, with one not-ready replica', () => {
    const pods = endpointsOf('default/fanout');
    const ready = pods.filter((p) => p.ready !== false);
    // capture-demo deletes one ready pod and readies the other: more than 12 (lib/graph/collapse.ts) either way.
    expect(ready.length - 1).toBeGreaterThan(12);
    expect(new Set(ready.map((p) => p.node))).toEqual(new Set(scenario.nodes.map((n) => n.name)));
    expect(pods.filter((p) => p.ready === false).map((p) => p.name)).toEqual(['fanout-17']);
    expect(scenario.pods.filter((p) => p.ready === false)).toHaveLength(1);
  });

  it('has a host firewall that blocks a port a Service really uses, on the pod’s own node', () => {
    const fw = scenario.nodes.find((n) => n.hostFirewall)!;
    const [ns, name] = fw.hostFirewall!.pod.split('/');
    const pod = scenario.pods.find((p) => p.ns === ns && p.name === name)!;
    expect(pod.node).toBe(fw.name);
    const users = scenario.services.filter(
      (s) =>
        s.metadata.namespace === ns &&
        s.spec.selector &&
        selects(s.spec.selector, pod.labels) &&
        (s.spec.ports as { targetPort: number }[]).some((p) => p.targetPort === fw.hostFirewall!.port),
    );
    expect(users.map((s) => s.metadata.name)).toEqual(['api-metrics']);
  });

  it('has exactly one DNS-misconfigured app pod and one cluster DNS pod', () => {
    expect(scenario.pods.filter((p) => p.dnsPolicy === 'Default' && p.role !== 'dns').map((p) => p.name)).toEqual([
      'legacy-client',
    ]);
    expect(scenario.pods.filter((p) => p.role === 'dns')).toHaveLength(1);
  });
});
