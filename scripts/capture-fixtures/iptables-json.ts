/**
 * Writes NAME.json next to every NAME.save in the given directory, from our parser's current
 * output (value + issues). Run once after a capture, review the JSON by eye, commit it; from
 * then on lib/parse/fixtures.test.ts catches regressions.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseIptablesSave } from '@/lib/parse/iptables';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: iptables-json.ts DIR\n');
  process.exit(2);
}
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.save'))
  .sort()) {
  const text = readFileSync(path.join(dir, file), 'utf8');
  const result = parseIptablesSave(text, { source: file });
  writeFileSync(path.join(dir, file.replace(/\.save$/, '.json')), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${file}: ${result.issues.length} issues\n`);
}
