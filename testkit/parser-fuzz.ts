/**
 * Property-test helper shared by the node-capture parsers: random mutations of a real capture
 * (truncation, garbage bytes, deleted/duplicated/swapped lines, wrong tool's output) must only
 * ever yield issues (lenient) or a ParseError (strict), never another exception.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { ParseError, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';

type Parser = (text: string, opts?: ParseOptions) => ParseResult<unknown>;

const garbage = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '{',
    '}',
    '"',
    '\\',
    '\0',
    '\r',
    ' ',
    '\t',
    ':',
    ',',
    '[',
    ']',
    '::',
    '->',
    '#',
    '.',
    '/',
    '-1',
    '99999999999999999999',
    'NaN',
    'null',
  ),
);

/** One random edit of `text`. */
function mutation(): fc.Arbitrary<(text: string) => string> {
  return fc.oneof(
    fc.nat().map((n) => (t: string) => t.slice(0, t.length ? n % t.length : 0)),
    fc.tuple(fc.nat(), garbage).map(([n, g]) => (t: string) => {
      const at = t.length ? n % t.length : 0;
      return t.slice(0, at) + g + t.slice(at);
    }),
    fc.tuple(fc.nat(), fc.nat({ max: 20 })).map(([n, len]) => (t: string) => {
      const at = t.length ? n % t.length : 0;
      return t.slice(0, at) + t.slice(at + len);
    }),
    fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (t: string) => {
      const lines = t.split('\n');
      if (lines.length < 2) return t;
      const i = a % lines.length;
      const j = b % lines.length;
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }),
    fc.nat().map((n) => (t: string) => {
      const lines = t.split('\n');
      const i = lines.length ? n % lines.length : 0;
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }),
  );
}

/** Assert the parser's contract on `runs` random mutations of each seed. */
export function assertRobust(parse: Parser, seeds: string[], runs = 300): void {
  fc.assert(
    fc.property(fc.constantFrom(...seeds), fc.array(mutation(), { minLength: 1, maxLength: 4 }), (seed, edits) => {
      const text = edits.reduce((t, e) => e(t), seed);
      const lenient = parse(text);
      expect(lenient.value).toBeDefined();
      expect(Array.isArray(lenient.issues)).toBe(true);
      try {
        parse(text, { strict: true });
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        expect(e.line).toBeGreaterThanOrEqual(0);
      }
    }),
    { numRuns: runs },
  );
}

/** A single very long line (default 100 MB): must be rejected or flagged, never crash. */
export function assertHugeLineHandled(parse: Parser, prefix = '', size = 100 * 1024 * 1024): void {
  const text = prefix + 'A'.repeat(size - prefix.length);
  const res = parse(text);
  expect(res.issues.length).toBeGreaterThan(0);
  for (const i of res.issues) expect(i.raw.length).toBeLessThan(600);
  expect(() => parse(text, { strict: true })).toThrow(ParseError);
}
