import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { candidateNames } from '@/lib/dns/candidates';
import { readResolverConfig } from '@/lib/dns/resolver-config';
import { parseResolvConf } from '@/lib/parse/resolv-conf';
import type { ResolverFlavor } from '@/lib/model/dns';

const conf = (text: string, flavor: ResolverFlavor) => readResolverConfig(parseResolvConf(text).value, flavor);
const SEARCH = 'nameserver 10.96.0.10\nsearch a.svc.cluster.local svc.cluster.local\n';
const list = (name: string, text: string, flavor: ResolverFlavor) =>
  candidateNames(name, conf(text, flavor)).map((c) => `${c.reason}:${c.fqdn}`);

describe('candidate names', () => {
  it.each([
    {
      flavor: 'glibc',
      name: 'web',
      opts: 'ndots:5',
      want: ['search:web.a.svc.cluster.local.', 'search:web.svc.cluster.local.', 'as-is-last:web.'],
    },
    {
      flavor: 'musl',
      name: 'web',
      opts: 'ndots:5',
      want: ['search:web.a.svc.cluster.local.', 'search:web.svc.cluster.local.', 'as-is-last:web.'],
    },
    {
      flavor: 'glibc',
      name: 'a.b',
      opts: 'ndots:1',
      want: ['as-is-first:a.b.', 'search:a.b.a.svc.cluster.local.', 'search:a.b.svc.cluster.local.'],
    },
    { flavor: 'musl', name: 'a.b', opts: 'ndots:1', want: ['as-is-first:a.b.'] },
    { flavor: 'glibc', name: 'a.b.', opts: 'ndots:1', want: ['rooted:a.b.'] },
    { flavor: 'musl', name: 'a.b.', opts: 'ndots:5', want: ['rooted:a.b.'] },
    {
      flavor: 'glibc',
      name: 'web',
      opts: 'ndots:5 no-tld-query',
      want: ['search:web.a.svc.cluster.local.', 'search:web.svc.cluster.local.'],
    },
    {
      flavor: 'glibc',
      name: 'a.b',
      opts: 'ndots:5 no-tld-query',
      want: ['search:a.b.a.svc.cluster.local.', 'search:a.b.svc.cluster.local.', 'as-is-last:a.b.'],
    },
    {
      flavor: 'musl',
      name: 'web',
      opts: 'ndots:5 no-tld-query',
      want: ['search:web.a.svc.cluster.local.', 'search:web.svc.cluster.local.', 'as-is-last:web.'],
    },
    {
      flavor: 'glibc',
      name: 'web',
      opts: 'ndots:0',
      want: ['as-is-first:web.', 'search:web.a.svc.cluster.local.', 'search:web.svc.cluster.local.'],
    },
  ] as { flavor: ResolverFlavor; name: string; opts: string; want: string[] }[])(
    '$flavor $name ($opts)',
    ({ flavor, name, opts, want }) => {
      expect(list(name, `${SEARCH}options ${opts}\n`, flavor)).toEqual(want);
    },
  );

  it('"." in the search list: glibc tries the name as-is there and not again at the end; musl builds "name.."', () => {
    expect(list('web', 'search a.example .\n', 'glibc')).toEqual(['search:web.a.example.', 'search:web.']);
    expect(list('web', 'search a.example .\n', 'musl')).toEqual([
      'search:web.a.example.',
      'search:web..',
      'as-is-last:web.',
    ]);
  });

  it('musl skips search domains that do not fit its 256-byte name buffer', () => {
    const long = `${'x'.repeat(60)}.${'y'.repeat(60)}.${'z'.repeat(60)}.${'w'.repeat(17)}`; // 200 chars, line 218
    const name = 'n'.repeat(60); // 200 >= 256 - 60 - 1
    expect(list(name, `search ${long} ok.example\n`, 'musl')).toEqual([
      `search:${name}.ok.example.`,
      `as-is-last:${name}.`,
    ]);
    expect(list(name, `search ${long} ok.example\n`, 'glibc')).toHaveLength(3);
  });

  it('property: every list ends with or starts with the as-is name exactly once (glibc, no "." domain)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,8}(\.[a-z]{1,8}){0,3}$/), { maxLength: 6 }),
        fc.stringMatching(/^[a-z]{1,8}(\.[a-z]{1,8}){0,4}$/),
        fc.integer({ min: 0, max: 15 }),
        (search, name, ndots) => {
          const c = candidateNames(name, {
            ...conf(`search ${search.join(' ') || 'x'}\noptions ndots:${ndots}\n`, 'glibc'),
          });
          const asIs = c.filter((x) => x.fqdn === `${name}.` && x.reason !== 'search');
          expect(asIs).toHaveLength(1);
          const dots = name.split('.').length - 1;
          expect(c[0].reason === 'as-is-first').toBe(dots >= ndots);
        },
      ),
    );
  });
});
