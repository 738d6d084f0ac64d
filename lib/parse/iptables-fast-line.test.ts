import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSyntheticDump } from '@/testkit/kube-proxy-writer/synthetic-services';
import type { FastCheck } from '@/lib/parse/iptables-fast-line';
import { fastCheckRule } from '@/lib/parse/iptables-fast-line';
import { checkRule } from '@/lib/parse/iptables-validate';

const fixtureDir = path.join(import.meta.dirname, '__fixtures__', 'iptables');
const ruleLines = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.save'))
  .flatMap((f) => readFileSync(path.join(fixtureDir, f), 'utf8').split('\n'))
  .map((l) => l.replace(/^\[\d+:\d+\] /, ''))
  .filter((l) => l.startsWith('-A '));

/** The target string of a fast check: a string, or a span of the line. */
function targetOf(line: string, c: FastCheck): string | undefined {
  return c.target ?? (c.targetStart >= 0 ? line.slice(c.targetStart, c.targetEnd) : undefined);
}

/** The fast path may only accept: whatever it accepts, checkRule accepts with the same facts. */
function agrees(line: string): boolean {
  const family = fastCheckRule(line, 0, line.length, true);
  const plain = family && { ...family };
  const span = fastCheckRule(line, 0, line.length, false);
  expect(span === null, 'both regexes accept the same lines').toBe(plain === null);
  if (plain === null || span === null) return false;
  const { chain, target, ipv6Address } = plain;
  expect(targetOf(line, span), 'the target found by the backward scan').toBe(target);
  const full = checkRule(line, 0, line.length, 0);
  expect({ error: full.error, binary: full.binary, unknownModules: full.unknownModules }, line).toEqual({
    error: undefined,
    binary: false,
    unknownModules: undefined,
  });
  expect({ target, ipv6Address }, line).toEqual({ target: full.target, ipv6Address: full.ipv6Address });
  expect(chain, 'the caller reads the chain from the text').toBe('');
  return true;
}

describe('fastCheckRule', () => {
  it('accepts every rule line of the captured fixtures that checkRule accepts cleanly, with the same facts', () => {
    let accepted = 0;
    for (const line of ruleLines) if (agrees(line)) accepted++;
    const clean = ruleLines.filter((l) => {
      const c = checkRule(l, 0);
      return !c.error && !c.binary && !c.unknownModules;
    });
    // Real iptables-save output is canonical: all of it should take the fast path.
    expect(accepted).toBe(clean.length);
    expect(accepted).toBeGreaterThan(100);
  });

  it('takes every line of a generated kube-proxy dump', () => {
    const lines = generateSyntheticDump(50, 3)
      .split('\n')
      .filter((l) => l.startsWith('-A '));
    expect(lines.filter((l) => fastCheckRule(l, 0, l.length, false) === null)).toEqual([]);
  });

  it('leaves non-canonical and wrong lines to checkRule', () => {
    for (const line of [
      '-A X -m tcp --source 1.2.3.4 -j ACCEPT', // a long basic option where a module option belongs
      '-A X\t-j ACCEPT', // tab
      '-A X  -j ACCEPT', // two spaces
      '-A X -j ACCEPT ', // trailing space
      '-A X -m frob --x 1 -j ACCEPT', // unknown module
      '-A X -p tcp --dport 80 -j ACCEPT', // implicit match
      '-A X -j', // no target
      '-A X -j A -j B', // two targets
      '-A X -s 1.2.3.4 -s 5.6.7.8 -j DROP', // -s twice
      '-A X -d 1.2.3.4 -s 5.6.7.8 -j DROP', // not iptables-save's order
      '-A X -m comment --comment "a\\"b" -j ACCEPT', // escape
      '-A X -m comment --comment "unterminated -j ACCEPT',
      '-A X ! -m tcp --dport 1 -j ACCEPT', // "!" before -m
      '-A X -m comment --comment a\u0001b -j ACCEPT', // control byte
      '-A X -j ACCEPT -m tcp --dport 1', // module after the target
      '-A X -c 1 2 -j ACCEPT',
      '--append X -j ACCEPT',
    ])
      expect(fastCheckRule(line, 0, line.length, true), line).toBeNull();
  });

  it('finds the target after a quoted comment that mentions -j', () => {
    const line = '-A KUBE-SVC-X -m comment --comment "ns/a -j KUBE-SEP-FAKE" -j KUBE-SEP-REAL';
    expect(fastCheckRule(line, 0, line.length, true)?.target).toBe('KUBE-SEP-REAL');
    expect(targetOf(line, fastCheckRule(line, 0, line.length, false)!)).toBe('KUBE-SEP-REAL');
    const log = '-A X -j LOG --log-prefix "a -j B"';
    expect(targetOf(log, fastCheckRule(log, 0, log.length, false)!)).toBe('LOG');
    expect(fastCheckRule('-A X -s fd00::1/128 -j ACCEPT', 0, 29, true)?.ipv6Address).toBe(true);
  });

  it('works in place inside a larger text (sticky at the line start, bounded by the line end)', () => {
    const text = 'junk\n-A X -j ACCEPT\n-A Y -j DROP';
    expect(targetOf(text, fastCheckRule(text, 5, 19, false)!)).toBe('ACCEPT');
    expect(fastCheckRule(text, 5, 12, false)).toBeNull(); // end inside the line: not a whole-line match
  });

  it('agrees with checkRule on mutated real lines and random word soup', () => {
    const words = [
      '-A',
      'X',
      '-s',
      '-d',
      '-i',
      '-o',
      '-p',
      'tcp',
      '-m',
      'comment',
      '--comment',
      '"a b"',
      '"-j X"',
      '-j',
      '-g',
      'ACCEPT',
      'KUBE-SEP-A',
      '!',
      '--dport',
      '80',
      '--source',
      '--dst',
      '-f',
      '-c',
      '1',
      'fd00::1',
      '10.0.0.1/32',
      '',
      '\t',
      '"',
      '\\',
    ];
    const soup = fc.array(fc.constantFrom(...words), { maxLength: 14 }).map((ws) => `-A X ${ws.join(' ')}`);
    const mutated = fc
      .tuple(fc.constantFrom(...ruleLines), fc.nat(), fc.nat({ max: 6 }), fc.constantFrom(...words))
      .map(([l, at, cut, w]) => {
        const i = at % (l.length + 1);
        return l.slice(0, i) + w + l.slice(Math.min(l.length, i + cut));
      });
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(soup, mutated), (line) => {
        if (agrees(line)) accepted++;
      }),
      { numRuns: 4000 },
    );
    expect(accepted).toBeGreaterThan(100); // the property saw the fast path, not only rejections
  });
});
