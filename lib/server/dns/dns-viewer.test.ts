import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { handleDns } from './dns-handler';
import { dnsRefusal } from './dns-viewer';
import { served } from '../snapshot/served';
import type { DnsResponse } from '../../wire/dns';
import type { RequestViewer } from '../../viewer/viewer';

const viewer = (namespaces: string[] | 'all'): RequestViewer => ({
  access: namespaces === 'all' ? { allNamespaces: true, namespaces: [] } : { allNamespaces: false, namespaces },
  authenticated: true,
  identity: 'test',
});
function explain(q: string): DnsResponse {
  process.env.KUBEPATH_SNAPSHOT = path.resolve(import.meta.dirname, '../../../demo/provisional-snapshot.json');
  return handleDns(new URLSearchParams(q)).body as DnsResponse;
}
const refusal = (q: string, v: RequestViewer) => dnsRefusal(explain(q), v, served().snapshot);

describe('dnsRefusal', () => {
  it.each([
    {
      name: 'all namespaces: nothing refused',
      q: 'pod=default/web-7d4b9c-x2x4q&name=cart',
      v: viewer('all'),
      want: undefined,
    },
    {
      name: 'default + kube-system: a default Service from a default pod',
      q: 'pod=default/web-7d4b9c-x2x4q&name=cart',
      v: viewer(['default', 'kube-system']),
      want: undefined,
    },
    {
      name: 'pod in a hidden namespace',
      q: 'pod=shop/frontend-6c9f8-abcde&name=cart.default',
      v: viewer(['default', 'kube-system']),
      want: /pod shop\/frontend-6c9f8-abcde is in a namespace you may not see/,
    },
    {
      name: 'the packet reaches CoreDNS in hidden kube-system',
      q: 'pod=default/web-7d4b9c-x2x4q&name=cart',
      v: viewer(['default']),
      want: /DNS packet's path/,
    },
    {
      name: 'the answer is a Service in a hidden namespace',
      q: 'pod=default/web-7d4b9c-x2x4q&name=frontend.shop',
      v: viewer(['default', 'kube-system']),
      want: /answer is a Service in a namespace you may not see/,
    },
  ])('$name', ({ q, v, want }) => {
    const r = refusal(q, v);
    if (want === undefined) expect(r).toBeUndefined();
    else expect(r).toMatch(want);
  });
});
