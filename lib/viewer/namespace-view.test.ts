import { describe, expect, it } from 'vitest';
import { accessKey, apiNamespaces, perAccess, podNamespaces } from './namespace-view';
import type { ApiObjects } from '@/lib/model/k8s';

const api = (): ApiObjects =>
  ({
    services: [
      { namespace: 'shop', name: 'web' },
      { namespace: 'pay', name: 'api' },
    ],
    endpointSlices: [{ namespace: 'ops', name: 'x' }],
    pods: [
      { namespace: 'shop', name: 'web-0', podIPs: ['10.244.1.2'], hostNetwork: false },
      { namespace: 'kube-system', name: 'kp', podIPs: ['192.168.1.1'], hostNetwork: true },
    ],
    nodes: [],
    notes: [],
  }) as unknown as ApiObjects;

describe('viewer > namespace view, precomputed once per snapshot', () => {
  it('lists every namespace mentioned, plus kube-system, sorted, and returns the same array for the same snapshot', () => {
    const a = api();
    expect(apiNamespaces(a)).toEqual(['kube-system', 'ops', 'pay', 'shop']);
    expect(apiNamespaces(a)).toBe(apiNamespaces(a));
    expect(apiNamespaces(undefined)).toEqual(['kube-system']);
  });

  it('maps pod IPs to namespaces, leaving out host-network pods', () => {
    expect([...podNamespaces(api())]).toEqual([['10.244.1.2', 'shop']]);
  });

  it('computes a filtered view once per source and distinct access', () => {
    const src = {};
    let n = 0;
    const a = { allNamespaces: false, namespaces: ['b', 'a'] };
    perAccess(src, a, () => ++n);
    perAccess(src, { allNamespaces: false, namespaces: ['a', 'b'] }, () => ++n);
    expect(n).toBe(1);
    expect(perAccess(src, { allNamespaces: false, namespaces: ['a'] }, () => ++n)).toBe(2);
    expect(accessKey({ allNamespaces: true, namespaces: ['x'] })).toBe('*');
  });
});
