import { describe, expect, it } from 'vitest';
import { TraceQuerySchema, queryFromParams } from './trace-request';
import { DnsQuerySchema } from './dns-request';

const base = { node: 'node-a', src: '10.244.1.2', dst: '10.96.0.10', port: '53', proto: 'udp' };
const issuesOf = (q: Record<string, string> | URLSearchParams) => {
  const r = TraceQuerySchema.safeParse(q instanceof URLSearchParams ? queryFromParams(q) : q);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('wire > trace request', () => {
  it('accepts the URL contract and reads the port as a number', () => {
    const r = TraceQuerySchema.safeParse(queryFromParams(new URLSearchParams(base)));
    expect(r.success && r.data).toEqual({ ...base, port: 53 });
    expect(TraceQuerySchema.safeParse({ ...base, src: 'pod:shop/web-0' }).success).toBe(true);
    expect(TraceQuerySchema.safeParse({ ...base, src: 'node:node-b', dst: 'fd00::10' }).success).toBe(true);
  });

  it('refuses a parameter given twice, from URLSearchParams and from a Next searchParams record alike', () => {
    const url = new URLSearchParams({ ...base });
    url.append('port', '443');
    expect(issuesOf(url)).toEqual(['port: port is given more than once; give it once']);
    const record = queryFromParams({ ...base, port: ['9090', '443'] });
    expect(TraceQuerySchema.safeParse(record).success).toBe(false);
    // The record keeps the first value (the form redraws it) and stays a plain { name: value } object.
    expect(record.port).toBe('9090');
    expect(Object.keys(record)).toEqual(Object.keys(base));
    // Even an empty repeat counts: the two readers of `port=443&port=` would disagree.
    expect(issuesOf(new URLSearchParams('node=n&src=10.0.0.1&dst=10.0.0.2&port=443&port='))).toHaveLength(1);
  });

  it('ports are decimal integers 1-65535', () => {
    for (const port of ['0x2382', '9.09e3', '+80', '80.0', '1e3', ' 80', '0', '65536', '99999', '-1', '８０'])
      expect(issuesOf({ ...base, port }).length, port).toBeGreaterThan(0);
    for (const port of ['1', '9090', '65535', '080']) expect(issuesOf({ ...base, port }), port).toEqual([]);
  });

  it('addresses carry no zone id, and src and dst are of one family', () => {
    expect(issuesOf({ ...base, src: 'fe80::1%eth0', dst: 'fd00::1' })).toEqual([
      'src: a zone id (%…) does not apply to a traced address',
    ]);
    expect(issuesOf({ ...base, dst: 'fe80::1%25eth0' })[0]).toMatch(/zone id/);
    expect(issuesOf({ ...base, src: '10.244.1.2', dst: 'fd00::1' })).toEqual([
      'dst: src is IPv4 and dst is IPv6: a packet has one address family',
    ]);
    expect(issuesOf({ ...base, src: 'fd00::2', dst: 'fd00::1' })).toEqual([]);
    expect(issuesOf({ ...base, dst: '010.0.0.1' }).length).toBe(1);
  });

  it('the DNS question is as strict', () => {
    const ok = { pod: 'shop/web-0', name: 'cart' };
    expect(DnsQuerySchema.safeParse(ok).success).toBe(true);
    expect(DnsQuerySchema.safeParse({ ...ok, port: '0x35' }).success).toBe(false);
    expect(DnsQuerySchema.safeParse(queryFromParams(new URLSearchParams('pod=shop/web-0&name=a&name=b'))).success).toBe(
      false,
    );
  });
});
