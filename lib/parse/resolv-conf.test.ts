import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseResolvConf } from '@/lib/parse/resolv-conf';
import { readResolverConfig } from '@/lib/dns/resolver-config';
import { ParseError } from '@/lib/parse/parse-result';

const DIR = path.join(import.meta.dirname, '__fixtures__', 'resolv-conf');

describe('resolv.conf golden fixtures (text → parsed file + what glibc and musl read)', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.conf'));
  it('has fixtures', () => expect(files.length).toBeGreaterThanOrEqual(3));
  it.each(files)('%s', (f) => {
    const parsed = parseResolvConf(readFileSync(path.join(DIR, f), 'utf8'));
    const actual = {
      file: parsed.value,
      issues: parsed.issues,
      glibc: readResolverConfig(parsed.value, 'glibc'),
      musl: readResolverConfig(parsed.value, 'musl'),
    };
    const golden = path.join(DIR, f.replace(/\.conf$/, '.json'));
    // KP_UPDATE_GOLDEN=1 writes missing goldens; they are then reviewed by hand and committed.
    if (!existsSync(golden) && process.env.KP_UPDATE_GOLDEN)
      writeFileSync(golden, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
  });
});

describe('resolv.conf > reading rules per resolver', () => {
  const read = (text: string) => {
    const p = parseResolvConf(text).value;
    return { glibc: readResolverConfig(p, 'glibc'), musl: readResolverConfig(p, 'musl') };
  };

  it('keeps line numbers and raw lines', () => {
    const r = parseResolvConf('# c\n\nnameserver 10.0.0.1\nsearch a b\n');
    expect(r.value.directives).toEqual([
      { line: 3, raw: 'nameserver 10.0.0.1', keyword: 'nameserver', args: ['10.0.0.1'] },
      { line: 4, raw: 'search a b', keyword: 'search', args: ['a', 'b'] },
    ]);
  });

  it('strict mode throws a ParseError naming the line', () => {
    expect(() => parseResolvConf('nameserver 1.1.1.1\nfrobnicate yes\n', { strict: true })).toThrow(ParseError);
    expect(() => parseResolvConf('nameserver 1.1.1.1\nfrobnicate yes\n', { strict: true })).toThrow(
      /line 2.*frobnicate/,
    );
  });

  it('only the first 3 nameservers are used, the 4th is reported', () => {
    const r = read('nameserver 1.1.1.1\nnameserver 2.2.2.2\nnameserver 3.3.3.3\nnameserver 4.4.4.4\n');
    for (const c of [r.glibc, r.musl]) {
      expect(c.nameservers).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3']);
      expect(c.ignored.map((i) => i.line)).toEqual([4]);
    }
  });

  it('last search/domain line wins; glibc keeps one word of domain, musl all words', () => {
    const r = read('search a.example b.example\ndomain c.example d.example\n');
    expect(r.glibc.search).toEqual(['c.example']);
    expect(r.musl.search).toEqual(['c.example', 'd.example']);
    expect(r.glibc.ignored[0]).toMatchObject({
      line: 1,
      reason: expect.stringMatching(/overridden by the later "domain" line 2/),
    });
  });

  it('caps: ndots 15 both; timeout 30 glibc / 60 musl; attempts 5 glibc / 10 musl', () => {
    const r = read('nameserver 1.1.1.1\noptions ndots:99 timeout:99 attempts:99\n');
    expect([r.glibc.options.ndots, r.glibc.options.timeout, r.glibc.options.attempts]).toEqual([15, 30, 5]);
    expect([r.musl.options.ndots, r.musl.options.timeout, r.musl.options.attempts]).toEqual([15, 60, 10]);
  });

  it('glibc-only options are honoured by glibc and reported as ignored by musl', () => {
    const r = read('nameserver 1.1.1.1\noptions single-request-reopen use-vc rotate no-tld-query\n');
    expect(r.glibc.options).toMatchObject({ singleRequestReopen: true, useVc: true, rotate: true, noTldQuery: true });
    expect(r.glibc.ignored).toEqual([]);
    expect(r.musl.options).toMatchObject({
      singleRequestReopen: false,
      useVc: false,
      rotate: false,
      noTldQuery: false,
    });
    expect(r.musl.ignored.map((i) => i.reason)).toEqual([
      'musl: option "single-request-reopen" is ignored by musl',
      'musl: option "use-vc" is ignored by musl',
      'musl: option "rotate" is ignored by musl',
      'musl: option "no-tld-query" is ignored by musl',
    ]);
  });

  it('musl drops a line of 255+ characters; 254 is still read', () => {
    const line = (n: number) => `search ${'a'.repeat(n - 7)}`;
    expect(read(`${line(254)}\n`).musl.search).toHaveLength(1);
    const r = read(`${line(255)}\n`);
    expect(r.musl.search).toEqual([]);
    expect(r.musl.ignored[0]).toMatchObject({ line: 1, severity: 'error' });
    expect(r.glibc.search).toHaveLength(1);
  });

  it('no nameserver → 127.0.0.1, reported', () => {
    const r = read('search a\n');
    expect(r.glibc.nameservers).toEqual(['127.0.0.1']);
    expect(r.glibc.ignored.some((i) => /127\.0\.0\.1/.test(i.reason))).toBe(true);
  });

  it('a host name as nameserver is an error and ignored', () => {
    const r = read('nameserver dns.example.com\nnameserver 10.0.0.1\n');
    expect(r.glibc.nameservers).toEqual(['10.0.0.1']);
    expect(r.glibc.ignored[0]).toMatchObject({ line: 1, severity: 'error' });
  });

  it('indented keywords and unknown keywords are issues, never silently dropped', () => {
    const r = parseResolvConf('  nameserver 10.0.0.1\nlookup file bind\n');
    expect(r.issues.map((i) => i.line)).toEqual([1, 2]);
  });

  it('CRLF line endings are tolerated', () => {
    const r = read('nameserver 10.0.0.1\r\nsearch a.example\r\n');
    expect(r.glibc.search).toEqual(['a.example']);
  });
});
