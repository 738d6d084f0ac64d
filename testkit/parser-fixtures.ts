/**
 * Fixture access for the node-capture parser tests. The expected `NAME.json` beside each raw
 * `NAME.txt` is checked by the golden walker (lib/parse/fixtures.test.ts, kinds in ./fixture-kinds.ts)
 * and rewritten with scripts/capture-fixtures/write-goldens.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve(import.meta.dirname, '../lib/parse/__fixtures__');

export function fixturePath(kind: string, file: string): string {
  return path.join(FIXTURES, kind, file);
}

export function readFixture(kind: string, file: string): string {
  return readFileSync(fixturePath(kind, file), 'utf8');
}
