/**
 * (Re)writes the expected `NAME.json` beside every raw `NAME.txt` node-capture fixture.
 * Usage: node --import tsx scripts/capture-fixtures/write-goldens.ts [kind...]
 * Review `git diff lib/parse/__fixtures__` before committing: the walker trusts these files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NODE_CAPTURE_KINDS } from '../../testkit/fixture-kinds';

const root = path.resolve(import.meta.dirname, '../../lib/parse/__fixtures__');
const wanted = process.argv.slice(2);
for (const [kind, spec] of Object.entries(NODE_CAPTURE_KINDS)) {
  if (wanted.length && !wanted.includes(kind)) continue;
  const dir = path.join(root, kind);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(`.${spec.ext}`))) {
    const result = spec.parse(readFileSync(path.join(dir, file), 'utf8'), file);
    const out = path.join(dir, `${file.slice(0, -spec.ext.length)}json`);
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`${kind}/${file}: ${result.issues.length} issue(s) → ${path.basename(out)}`);
  }
}
