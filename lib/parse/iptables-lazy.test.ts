import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { isMaterialized, ruleCount } from '@/lib/parse/iptables-lazy';
import { newRule, newRuleCaches, parseRuleWords } from '@/lib/parse/iptables-rule';
import { checkRule } from '@/lib/parse/iptables-validate';
import { newTokenBuffer, tokenizeInto } from '@/lib/parse/tokenize';

const TEXT = `*nat
:PREROUTING ACCEPT [0:0]
:KUBE-SEP-A - [0:0]
:KUBE-SEP-B - [0:0]
-A PREROUTING -p tcp -m comment --comment "ns/a" -m tcp --dport 80 -j KUBE-SEP-A
-A KUBE-SEP-A -p tcp -m comment --comment "ns/a" -m tcp -j DNAT --to-destination 10.0.0.1:80
-A KUBE-SEP-B -p tcp -m comment --comment "ns/a" -m tcp -j DNAT --to-destination 10.0.0.2:80
COMMIT
`;

describe('lazy chain rules', () => {
  it('builds a chain only when its rules are read, then it is plain data', () => {
    const nat = parseIptablesSave(TEXT).value.tables.nat!;
    const a = nat.chains['KUBE-SEP-A'];
    const b = nat.chains['KUBE-SEP-B'];
    expect(isMaterialized(a)).toBe(false);
    expect(ruleCount(a)).toBe(1);
    expect(isMaterialized(a)).toBe(false);
    expect(a.rules[0].target?.options[0].values).toEqual(['10.0.0.1:80']);
    expect(isMaterialized(a)).toBe(true);
    expect(isMaterialized(b)).toBe(false);
    expect(Object.getOwnPropertyDescriptor(a, 'rules')).toMatchObject({ writable: true, enumerable: true });
    expect(Object.keys(a)).toEqual(['name', 'builtin', 'line', 'rules', 'counters']);
  });

  it('JSON, structuredClone, spread and assignment see the rules', () => {
    const dump = parseIptablesSave(TEXT).value;
    expect(JSON.parse(JSON.stringify(dump)).tables.nat.chains['KUBE-SEP-B'].rules).toHaveLength(1);
    const cloned = structuredClone(parseIptablesSave(TEXT).value);
    expect(cloned.tables.nat!.chains['KUBE-SEP-B'].rules[0].line).toBe(7);
    const spread = { ...parseIptablesSave(TEXT).value.tables.nat!.chains['KUBE-SEP-A'] };
    expect(spread.rules).toHaveLength(1);
    const c = parseIptablesSave(TEXT).value.tables.nat!.chains['KUBE-SEP-A'];
    c.rules = [];
    expect(c.rules).toEqual([]);
    expect(isMaterialized(c)).toBe(true);
  });

  it('identical blocks are shared and frozen, so a mutation cannot leak into other rules', () => {
    const nat = parseIptablesSave(TEXT).value.tables.nat!;
    const [ra] = nat.chains['KUBE-SEP-A'].rules;
    const [rb] = nat.chains['KUBE-SEP-B'].rules;
    expect(ra.matches[0]).toBe(rb.matches[0]);
    expect(() => ra.matches[0].options.push({ name: 'x', negated: false, values: [] })).toThrow(TypeError);
    expect(ra.comment).toBe('ns/a');
    expect(rb.comment).toBe('ns/a');
  });
});

/** The eager checker and the full rule parser must agree on every line: same accept/reject,
 *  same reason. Otherwise an error would be reported late (or a good rule lost). */
describe('checkRule agrees with parseRuleWords', () => {
  const word = fc.oneof(
    fc.constantFrom(
      '-A',
      'X',
      '-s',
      '-d',
      '-i',
      '-o',
      '-p',
      'tcp',
      'TCP',
      '-f',
      '-m',
      '-j',
      '-g',
      '-c',
      '1',
      '2',
      '!',
      '--dport',
      '--comment',
      'comment',
      'tcp',
      'frob',
      'ACCEPT',
      '--source',
      '--match',
      '--append',
      '-x',
      '--',
      '---',
      '"a b"',
      '""',
      '"!"',
      '"-x"',
      '"unterminated',
      'a"b"c',
      '10.0.0.1/32',
      'fd00::1',
    ),
    fc.string({ maxLength: 4 }),
  );
  const line = fc.array(word, { maxLength: 12 }).map((ws) => ws.join(' '));
  const withA = line.map((l) => `-A X ${l}`);

  function full(text: string): { error?: string; chain?: string } {
    const tokens = newTokenBuffer();
    const tokErr = tokenizeInto(text, 0, tokens);
    if (tokErr) return { error: `${tokErr.reason} at column ${tokErr.column + 1}` };
    const { words, quoted } = tokens;
    if (tokens.n === 0 || (words[0] !== '-A' && words[0] !== '--append'))
      return {
        error: `unsupported command ${JSON.stringify(tokens.n > 0 ? words[0] : '')} (iptables-save only writes -A rules)`,
      };
    const chain = tokens.n > 1 ? words[1] : '';
    if (chain === '' || quoted[1] || chain.charCodeAt(0) === 45) return { error: '-A needs a chain name' };
    const err = parseRuleWords(newRule('filter', chain, 1, text), tokens, 2, text, newRuleCaches());
    return err ? { error: err.reason } : { chain };
  }

  it('on random lines', () => {
    fc.assert(
      fc.property(fc.oneof(line, withA), (text) => {
        const check = checkRule(text, 0);
        const expected = full(text);
        if (check.binary) return; // control characters: reported before parsing
        expect(check.error).toBe(expected.error);
        if (!expected.error) expect(check.chain).toBe(expected.chain);
      }),
      { numRuns: 3000 },
    );
  });
});
