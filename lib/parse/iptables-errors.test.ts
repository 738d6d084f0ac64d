import { describe, expect, it } from 'vitest';
import { MAX_LINE_LENGTH, parseIptablesSave } from '@/lib/parse/iptables';
import { ParseError } from '@/lib/parse/parse-result';

/** Each bad input: lenient mode yields an error issue naming the line; strict mode throws a
 *  ParseError with the same line. `line`/`raw` say which line must be named. */
const bigLine = `-A INPUT -m comment --comment ${'x'.repeat(100 * 1024 * 1024)}`;
const cases: { name: string; text: string; line: number; raw: string; reason: RegExp }[] = [
  {
    name: 'truncated dump (no COMMIT at EOF)',
    text: '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\n',
    line: 3,
    raw: '-A PREROUTING -j ACCEPT',
    reason: /without COMMIT for table nat.*truncated/,
  },
  {
    name: 'rule in an undeclared chain',
    text: '*filter\n:INPUT ACCEPT [0:0]\n-A NOPE -j ACCEPT\nCOMMIT\n',
    line: 3,
    raw: '-A NOPE -j ACCEPT',
    reason: /chain NOPE, which is not declared/,
  },
  {
    name: '-A before any *table',
    text: '-A INPUT -j ACCEPT\n*filter\nCOMMIT\n',
    line: 1,
    raw: '-A INPUT -j ACCEPT',
    reason: /outside any \*table/,
  },
  {
    name: 'binary garbage',
    text: '*filter\n:INPUT ACCEPT [0:0]\n\u0000\u0001\u00ff\u0007ELF\u0002\nCOMMIT\n',
    line: 3,
    raw: '\u0000\u0001\u00ff\u0007ELF\u0002',
    reason: /binary data/,
  },
  {
    name: 'a 100 MB line',
    text: `*filter\n:INPUT ACCEPT [0:0]\n${bigLine}\nCOMMIT\n`,
    line: 3,
    raw: bigLine,
    reason: /characters long/,
  },
  {
    name: 'unterminated quote',
    text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "oops -j ACCEPT\nCOMMIT\n',
    line: 3,
    raw: '-A INPUT -m comment --comment "oops -j ACCEPT',
    reason: /unterminated quote at column 31/,
  },
  {
    name: 'chain declared twice',
    text: '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SERVICES - [0:0]\nCOMMIT\n',
    line: 3,
    raw: ':KUBE-SERVICES - [0:0]',
    reason: /declared twice \(first at line 2\)/,
  },
  {
    name: 'unknown line',
    text: '*filter\nhello world\nCOMMIT\n',
    line: 2,
    raw: 'hello world',
    reason: /unrecognised line/,
  },
  {
    name: 'unknown table',
    text: '*bogus\n:X - [0:0]\nCOMMIT\n',
    line: 1,
    raw: '*bogus',
    reason: /unknown table "bogus"/,
  },
  {
    name: 'jump to an undeclared chain',
    text: '*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j KUBE-SVC-NOPE\nCOMMIT\n',
    line: 3,
    raw: '-A OUTPUT -j KUBE-SVC-NOPE',
    reason: /KUBE-SVC-NOPE is not a chain declared/,
  },
  {
    name: 'dangling negation',
    text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT !\nCOMMIT\n',
    line: 3,
    raw: '-A INPUT -j ACCEPT !',
    reason: /negates nothing/,
  },
  {
    name: 'option with no module',
    text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT --dport 80 -j ACCEPT\nCOMMIT\n',
    line: 3,
    raw: '-A INPUT --dport 80 -j ACCEPT',
    reason: /before any -m module/,
  },
  {
    name: 'stray word',
    text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 1.2.3.4 5.6.7.8 -j ACCEPT\nCOMMIT\n',
    line: 3,
    raw: '-A INPUT -s 1.2.3.4 5.6.7.8 -j ACCEPT',
    reason: /unexpected word "5.6.7.8"/,
  },
  {
    name: 'bad counters',
    text: '*filter\n:INPUT ACCEPT [0:0]\n[1:x] -A INPUT -j ACCEPT\nCOMMIT\n',
    line: 3,
    raw: '[1:x] -A INPUT -j ACCEPT',
    reason: /malformed \[packets:bytes\]/,
  },
  {
    name: 'built-in chain without policy',
    text: '*filter\n:INPUT - [0:0]\nCOMMIT\n',
    line: 2,
    raw: ':INPUT - [0:0]',
    reason: /needs policy ACCEPT or DROP/,
  },
  {
    name: 'missing -j target name',
    text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j\nCOMMIT\n',
    line: 3,
    raw: '-A INPUT -j',
    reason: /-j needs a target name/,
  },
  { name: 'COMMIT without table', text: 'COMMIT\n', line: 1, raw: 'COMMIT', reason: /COMMIT without an open/ },
  {
    name: 'table not committed before the next',
    text: '*filter\n:INPUT ACCEPT [0:0]\n*nat\nCOMMIT\n',
    line: 3,
    raw: '*nat',
    reason: /not closed by COMMIT/,
  },
];

describe('parseIptablesSave > bad input', () => {
  it.each(cases)('$name: lenient → issue naming the line', ({ text, line, raw, reason }) => {
    const { issues } = parseIptablesSave(text);
    const errors = issues.filter((i) => i.severity === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0].line).toBe(line);
    expect(errors[0].reason).toMatch(reason);
    // The raw text is clipped at 500 characters so the 100 MB line never reaches the UI whole.
    expect(errors[0].raw.length).toBeLessThanOrEqual(540);
    expect(raw.startsWith(errors[0].raw.replace(/… \(\d+ characters\)$/, ''))).toBe(true);
  });

  it.each(cases)('$name: strict → ParseError with line and text', ({ text, line, reason }) => {
    let caught: unknown;
    try {
      parseIptablesSave(text, { strict: true, source: 'node-a.save' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ParseError);
    const pe = caught as ParseError;
    expect(pe.line).toBe(line);
    expect(pe.reason).toMatch(reason);
    expect(pe.message).toContain(`node-a.save: line ${line}: `);
  });

  it('keeps going after an error in lenient mode', () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\ngarbage\n-A INPUT -j ACCEPT\nCOMMIT\n';
    const { value, issues } = parseIptablesSave(text);
    expect(issues).toHaveLength(1);
    expect(value.tables.filter!.chains.INPUT.rules).toHaveLength(1);
  });

  it('a rule in an undeclared chain is kept in a chain with line 0', () => {
    const { value } = parseIptablesSave(cases[1].text);
    expect(value.tables.filter!.chains.NOPE).toMatchObject({ line: 0, builtin: false, rules: [{ line: 3 }] });
  });

  it('a truncated dump keeps what was read', () => {
    const { value } = parseIptablesSave(cases[0].text);
    expect(value.tables.nat!.chains.PREROUTING.rules).toHaveLength(1);
  });

  it('accepts CRLF line ends and blank lines', () => {
    const { value, issues } = parseIptablesSave('*filter\r\n:INPUT DROP [0:0]\r\n\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n');
    expect(issues).toEqual([]);
    expect(value.tables.filter!.chains.INPUT.policy).toBe('DROP');
    expect(value.tables.filter!.chains.INPUT.rules[0].raw).toBe('-A INPUT -j ACCEPT');
  });

  it('the line limit is generous for real rules', () => {
    expect(MAX_LINE_LENGTH).toBeGreaterThanOrEqual(16 * 1024);
  });
});

describe('parseIptablesSave > header lines', () => {
  it('legacy backend, ip6tables family and the mixed-backend warning', () => {
    const text = [
      '# Warning: iptables-legacy tables present, use iptables-legacy-save to see them',
      '# Generated by ip6tables-save v1.8.9 on Sun Nov 22 00:15:08 2026',
      '*filter',
      ':INPUT ACCEPT [0:0]',
      'COMMIT',
    ].join('\n');
    const { value, issues } = parseIptablesSave(text);
    expect(issues).toEqual([]);
    expect(value).toMatchObject({ family: 'ipv6', backend: 'legacy', legacyTablesPresent: true });
  });

  it('family from addresses when there is no header', () => {
    const { value } = parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s fd00::/64 -j ACCEPT\nCOMMIT\n');
    expect(value.family).toBe('ipv6');
    expect(value.backend).toBeUndefined();
  });
});
