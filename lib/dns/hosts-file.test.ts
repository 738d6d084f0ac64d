import { describe, expect, it } from 'vitest';
import { parseHostsFile } from '@/lib/dns/hosts-file';
import { ParseError } from '@/lib/parse/parse-result';

describe('upstream hosts file', () => {
  it('collects v4/v6 per lower-case FQDN, aliases included, comments ignored', () => {
    const r = parseHostsFile(
      '# upstream\n192.0.2.80 www.example.com WWW2.example.com # web\n2001:db8::80 www.example.com\n\n',
    );
    expect(r.issues).toEqual([]);
    expect(r.value.get('www.example.com.')).toEqual({ v4: ['192.0.2.80'], v6: ['2001:db8::80'], line: 2 });
    expect(r.value.get('www2.example.com.')?.v4).toEqual(['192.0.2.80']);
  });

  it('bad lines are issues with line number and raw text; strict throws', () => {
    const r = parseHostsFile('192.0.2.1 ok.example\nnot-an-ip host.example\n192.0.2.2\n');
    expect(r.issues).toEqual([
      { line: 2, raw: 'not-an-ip host.example', reason: '"not-an-ip" is not an IP address', severity: 'error' },
      { line: 3, raw: '192.0.2.2', reason: 'address without a host name', severity: 'warning' },
    ]);
    expect(r.value.size).toBe(1);
    expect(() => parseHostsFile('nope x\n', { strict: true })).toThrow(ParseError);
  });
});
