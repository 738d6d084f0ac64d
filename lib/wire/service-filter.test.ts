import { describe, expect, it } from 'vitest';
import { filterServices, namespacesOf, searchIndex } from './service-filter';
import type { ServiceSummary } from '@/lib/model/cluster';

const svc = (
  namespace: string,
  name: string,
  type: ServiceSummary['type'],
  clusterIP: string,
  ready: number,
): ServiceSummary => ({
  key: `${namespace}/${name}`,
  namespace,
  name,
  type,
  clusterIP,
  ports: '80/TCP',
  ready,
  total: ready,
  noReady: ready === 0,
});
const list = [
  svc('default', 'web', 'ClusterIP', '10.96.10.10', 3),
  svc('shop', 'frontend', 'NodePort', '10.96.20.20', 2),
  svc('default', 'legacy-billing', 'ClusterIP', '10.96.30.30', 0),
];
const idx = searchIndex(list);
const names = (f: Partial<Parameters<typeof filterServices>[2]>) =>
  filterServices(list, idx, { text: '', namespace: '', type: '', noReady: false, ...f }).map((s) => s.name);

describe('filterServices', () => {
  it.each([
    { name: 'no filter keeps all', f: {}, want: ['web', 'frontend', 'legacy-billing'] },
    { name: 'text matches name', f: { text: 'FRONT' }, want: ['frontend'] },
    { name: 'text matches ClusterIP', f: { text: '10.96.30' }, want: ['legacy-billing'] },
    { name: 'all words must match', f: { text: 'default web' }, want: ['web'] },
    { name: 'namespace', f: { namespace: 'shop' }, want: ['frontend'] },
    { name: 'type', f: { type: 'NodePort' }, want: ['frontend'] },
    { name: 'no ready endpoints', f: { noReady: true }, want: ['legacy-billing'] },
  ])('$name', ({ f, want }) => expect(names(f)).toEqual(want));

  it('lists namespaces once, sorted', () => expect(namespacesOf(list)).toEqual(['default', 'shop']));
});
