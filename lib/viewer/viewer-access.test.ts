import { describe, expect, it } from 'vitest';
import { bearerToken, viewerAccess, type Reviewer } from './viewer-access';
import { filterApiObjects, traceVisibility } from './filter';
import { sampleTrace } from '@/testkit/report-sample';
import type { ApiObjects } from '@/lib/model/k8s';

// These unit tests pin the bookkeeping; the RBAC decisions themselves come from a real apiserver in
// lib/viewer/rbac.lab.test.ts.
const api = { server: 'https://127.0.0.1:1' };
const rbac =
  (allowed: (ns: string, resource: string) => boolean): Reviewer =>
  async (_a, _t, qs) =>
    qs.map((q) => allowed(q.namespace, q.resource));

describe('auth > viewer access', () => {
  it('cluster-wide list rights see every namespace', async () => {
    const a = await viewerAccess(
      api,
      't-all',
      ['a', 'b'],
      rbac(() => true),
    );
    expect(a).toEqual({ allNamespaces: true, namespaces: ['a', 'b'] });
  });

  it('namespace rights see only that namespace, and need all three resources', async () => {
    const a = await viewerAccess(
      api,
      't-ns',
      ['shop', 'pay', 'half'],
      rbac((ns, r) => ns === 'shop' || (ns === 'half' && r !== 'pods')),
    );
    expect(a).toEqual({ allNamespaces: false, namespaces: ['shop'] });
  });

  it('parses bearer tokens strictly', () => {
    expect(bearerToken('Bearer abc.def-_~+/=')).toBe('abc.def-_~+/=');
    expect(bearerToken('bearer x')).toBe('x');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('auth > filtering', () => {
  const objects: ApiObjects = {
    services: [
      {
        namespace: 'shop',
        name: 'cart',
        type: 'ClusterIP',
        clusterIPs: ['10.96.0.20'],
        ports: [],
        externalIPs: [],
        loadBalancerIPs: [],
        loadBalancerSourceRanges: [],
      },
      {
        namespace: 'pay',
        name: 'ledger',
        type: 'ClusterIP',
        clusterIPs: ['10.96.0.30'],
        ports: [],
        externalIPs: [],
        loadBalancerIPs: [],
        loadBalancerSourceRanges: [],
      },
    ],
    endpointSlices: [],
    nodes: [],
    notes: [],
    corefile: 'cluster.local {}',
    pods: [{ namespace: 'pay', name: 'client', podIPs: ['10.244.1.2'], ready: true, hostNetwork: false }],
  };

  it('drops objects of hidden namespaces and the cluster-wide configs without kube-system', () => {
    const out = filterApiObjects(objects, { allNamespaces: false, namespaces: ['shop'] });
    expect(out.services.map((s) => s.name)).toEqual(['cart']);
    expect(out.pods).toEqual([]);
    expect(out.corefile).toBeUndefined();
  });

  it('refuses a trace whose source pod or service is in a hidden namespace', () => {
    const trace = sampleTrace(); // source 10.244.1.2 = pod pay/client; service in namespace "shop"
    expect(traceVisibility(trace, { allNamespaces: false, namespaces: ['shop'] }, objects)).toMatchObject({
      visible: false,
    });
    expect(traceVisibility(trace, { allNamespaces: false, namespaces: ['shop', 'pay'] }, objects)).toEqual({
      visible: true,
    });
  });
});
