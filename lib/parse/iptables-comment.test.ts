/**
 * ruleLineComment reads a rule's comment from its raw line; it must give exactly the `comment`
 * the rule builder sets, or `kubepath parse` would count other services than the Rule objects
 * say. Here on the real captures, on a generated kube-proxy dump and on random lines built to hit
 * the corners (quotes, escapes, tabs, negations, several values, a second --comment); the
 * property over generated dumps is in iptables.property.test.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSyntheticDump } from '@/testkit/kube-proxy-writer/synthetic-services';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { ruleLineComment } from '@/lib/parse/iptables-comment';
import { newRule, newRuleCaches, parseRuleWords } from '@/lib/parse/iptables-rule';
import { newTokenBuffer, tokenizeInto } from '@/lib/parse/tokenize';

/** Every rule of the dump: the builder's comment against the one read from the raw line, in place. */
function expectAgreement(text: string): number {
  const { value } = parseIptablesSave(text);
  let n = 0;
  for (const t of Object.values(value.tables)) {
    for (const c of Object.values(t!.chains)) {
      for (const r of c.rules) {
        // In place inside the whole text, as the summary reads it (not a sliced copy).
        const at = lineStart(text, r.line);
        expect(ruleLineComment(text, at, at + r.raw.length), r.raw).toBe(r.comment);
        n++;
      }
    }
  }
  return n;
}

function lineStart(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) at = text.indexOf('\n', at) + 1;
  return at;
}

const fixtureDir = path.join(import.meta.dirname, '__fixtures__', 'iptables');

describe('ruleLineComment agrees with the rule builder', () => {
  it('on every rule of the captured fixtures', () => {
    let n = 0;
    for (const f of readdirSync(fixtureDir).filter((x) => x.endsWith('.save')))
      n += expectAgreement(readFileSync(path.join(fixtureDir, f), 'utf8'));
    expect(n).toBeGreaterThan(100);
  });

  it('on every rule of a generated kube-proxy dump', () => {
    expect(expectAgreement(generateSyntheticDump(60, 3))).toBeGreaterThan(500);
  });

  /** The builder's comment for a line it accepts, or null when it rejects the line. */
  function built(line: string): string | undefined | null {
    const tokens = newTokenBuffer();
    if (tokenizeInto(line, 0, tokens) !== null || tokens.n < 2) return null;
    const rule = newRule('filter', tokens.words[1], 1, line);
    return parseRuleWords(rule, tokens, 2, line, newRuleCaches()) === null ? rule.comment : null;
  }

  it('on random lines around -m comment --comment', () => {
    const word = fc.oneof(
      fc.constantFrom(
        '-m comment',
        '--comment',
        '-m comment --comment',
        '! --comment',
        '-m tcp',
        '--dport 80',
        '-j ACCEPT',
        '-j LOG --log-prefix "x y"',
        '-s 10.0.0.1/32',
        '-p tcp',
        '!',
        '-',
        '-x',
        'ns/svc:http',
        '"ns/svc cluster IP"',
        '"a\\"b"',
        '"a\\\\b"',
        '""',
        '"-j"',
        'a"b c"d',
        '"x"y',
        '\t',
        '  ',
        '--comment"x"',
        '-m "comment"',
        '--x --comment',
      ),
      fc.string({ unit: fc.constantFrom(...'ab -"\\!\t/:'.split('')), maxLength: 6 }),
    );
    const value = fc.oneof(
      fc.constantFrom(
        'ns/svc:http',
        '"ns/svc:http cluster IP"',
        '"a\\"b"',
        '""',
        '"-j"',
        '-',
        '!x',
        '"a"b',
        'a"b c"',
        '"x"\t',
        '"tab\there"',
        'one two',
        '"--comment"',
      ),
      fc.string({ unit: fc.constantFrom(...'ab -"\\!/:'.split('')), maxLength: 6 }),
    );
    const words = fc.array(word, { maxLength: 4 }).map((ws) => ws.join(' '));
    const structured = fc
      .tuple(
        words,
        fc.constantFrom(
          '-m comment --comment',
          '-m comment  --comment',
          '-m comment ! --comment',
          '-m comment --foo --comment',
        ),
        value,
        words,
      )
      .map(([a, c, v, b]) => [a, c, v, b].filter((x) => x !== '').join(' '));
    const line = fc
      .oneof(
        fc.array(word, { maxLength: 8 }).map((ws) => ws.join(' ')),
        structured,
      )
      .map((body) => `-A X ${body}`.trimEnd());
    let accepted = 0;
    let commented = 0;
    fc.assert(
      fc.property(line, (l) => {
        const expected = built(l);
        if (expected === null) return; // the parser never hands a rejected line to the summary
        accepted++;
        if (expected !== undefined) commented++;
        expect(ruleLineComment(l, 0, l.length)).toBe(expected);
        // The same line inside a larger text, between other lines.
        const text = `-A Y -m comment --comment "before"\n${l}\n-A Z -m comment --comment after`;
        const at = text.indexOf('\n') + 1;
        expect(ruleLineComment(text, at, at + l.length)).toBe(expected);
      }),
      { numRuns: 4000 },
    );
    // The property must have exercised lines with and without a comment.
    expect(accepted).toBeGreaterThan(500);
    expect(commented).toBeGreaterThan(200);
  });
});
