import { describe, expect, it } from 'vitest';
import { explainDnsLookup } from '@/lib/dns/explain';
import { labCluster } from '@/testkit/dns-lab/lab-cluster';

const objects = labCluster('10.96.0.10');
const run = (resolvConf: string, name: string, flavor: 'glibc' | 'musl' = 'glibc') =>
  explainDnsLookup({
    resolvConf,
    name,
    flavor,
    objects,
    endpointSlicesKnown: true,
    upstreamHosts: '192.0.2.80 www.example.com\n',
  });
const ids = (r: ReturnType<typeof run>) => r.findings.map((f) => f.id);

describe('findings', () => {
  it('search list over kubelet limits (32 / 2048) is a warning, over the legacy 6 / 256 an info', () => {
    const many = (n: number) =>
      `nameserver 10.96.0.10\nsearch ${Array.from({ length: n }, (_, i) => `d${i}.example`).join(' ')}\n`;
    expect(run(many(33), 'x.').findings.find((f) => f.id === 'search-list-limits')?.severity).toBe('warning');
    expect(run(many(7), 'x.').findings.find((f) => f.id === 'search-list-limits')?.severity).toBe('info');
    expect(ids(run(many(3), 'x.'))).not.toContain('search-list-limits');
  });

  it('long search line: error for musl, warning for glibc', () => {
    const conf = `nameserver 10.96.0.10\nsearch ${'a'.repeat(250)}\n`;
    expect(run(conf, 'x.', 'musl').findings.find((f) => f.id === 'musl-long-line')?.severity).toBe('error');
    expect(run(conf, 'x.', 'glibc').findings.find((f) => f.id === 'musl-long-line')?.severity).toBe('warning');
  });

  it('"." in the search list is an error for musl (lookup fails with EAI_AGAIN)', () => {
    const r = run('nameserver 10.96.0.10\nsearch app.svc.cluster.local .\noptions ndots:5\n', 'nosuch', 'musl');
    expect(r.status).toBe('EAI_AGAIN');
    expect(ids(r)).toContain('musl-search-dot');
    expect(ids(run('nameserver 10.96.0.10\nsearch app.svc.cluster.local .\n', 'nosuch', 'glibc'))).not.toContain(
      'musl-search-dot',
    );
  });

  it('musl with two nameservers: parallel race, and the public one is not the cluster DNS', () => {
    const r = run('nameserver 10.96.0.10\nnameserver 8.8.8.8\nsearch app.svc.cluster.local\n', 'cache', 'musl');
    expect(ids(r)).toEqual(expect.arrayContaining(['musl-parallel-nameservers', 'nameserver-not-cluster-dns']));
    expect(r.queries.map((q) => q.nameserver)).toEqual(['10.96.0.10', '8.8.8.8', '10.96.0.10', '8.8.8.8']);
    expect(r.addresses).toEqual(['10.96.40.1']);
  });

  it('glibc with the same two nameservers only asks the first one when it answers', () => {
    const r = run('nameserver 10.96.0.10\nnameserver 8.8.8.8\nsearch app.svc.cluster.local\n', 'cache');
    expect(r.queries.map((q) => q.nameserver)).toEqual(['10.96.0.10', '10.96.0.10']);
  });

  it('a lookup that costs one name has no amplification finding; a trailing dot fixes E10', () => {
    expect(
      ids(
        run(
          'nameserver 10.96.0.10\nsearch app.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
          'www.example.com.',
        ),
      ),
    ).not.toContain('ndots-amplification');
  });

  it('glibc findings mention what musl would do differently', () => {
    const r = run(
      'nameserver 10.96.0.10\nsearch app.svc.cluster.local svc.cluster.local cluster.local corp.example.com\noptions ndots:5\n',
      'prod',
    );
    expect(r.findings.find((f) => f.id === 'resolver-flavors-differ')?.message).toMatch(
      /^musl would resolve "prod" differently/,
    );
  });
});
