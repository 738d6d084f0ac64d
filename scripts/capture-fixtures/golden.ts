/**
 * Golden-fixture helper for parser tests: `lib/parse/__fixtures__/<kind>/<base>.txt` is the raw
 * capture, `<base>.json` the expected parse result. Run with UPDATE_GOLDEN=1 to (re)write the
 * expected file, then review the diff by hand before committing: a golden file is only as good
 * as the review that accepted it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const FIXTURES = path.resolve(import.meta.dirname, '../../lib/parse/__fixtures__');

export function fixturePath(kind: string, file: string): string {
  return path.join(FIXTURES, kind, file);
}

export function readFixture(kind: string, file: string): string {
  return readFileSync(fixturePath(kind, file), 'utf8');
}

/** Compare `value` with `<kind>/<base>.json` (JSON round-trip, so undefined fields vanish). */
export function expectGolden(kind: string, base: string, value: unknown): void {
  const file = fixturePath(kind, `${base}.json`);
  const actual = JSON.parse(JSON.stringify(value)) as unknown;
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI && !existsSync(file)) throw new Error(`missing golden file ${file}`);
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  }
  expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
