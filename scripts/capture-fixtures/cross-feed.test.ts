/**
 * Wrong tool's output: every node-capture parser is fed every other kind's real fixtures. It must
 * never throw anything but ParseError, and must never accept the text silently (no issues).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '@/lib/parse/parse-result';
import { NODE_CAPTURE_KINDS } from '../../testkit/fixture-kinds';

const root = path.resolve(import.meta.dirname, '../../lib/parse/__fixtures__');
const captures = Object.entries(NODE_CAPTURE_KINDS).flatMap(([kind, spec]) =>
  readdirSync(path.join(root, kind))
    .filter((f) => f.endsWith(`.${spec.ext}`))
    .map((f) => ({ kind, file: f, text: readFileSync(path.join(root, kind, f), 'utf8') })),
);

describe.each(Object.entries(NODE_CAPTURE_KINDS))("%s parser given other tools' output", (kind, spec) => {
  const others = captures.filter((c) => c.kind !== kind);
  it.each(others.map((c) => [`${c.kind}/${c.file}`, c.text]))('%s is flagged, not accepted', (name, text) => {
    const res = spec.parse(text, name);
    expect(res.issues.length).toBeGreaterThan(0);
    // strict mode must stop at the first problem with a ParseError, and only that
    expect(() => spec.parse(text, name, { strict: true })).toThrow(ParseError);
  });
});
