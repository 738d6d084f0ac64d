/**
 * `npm run bench`: runs every bench section in order and writes bench/out/results.json.
 * To add a section, export `section = { name, run(opts) }` from a bench/*.ts file and list it
 * in SECTIONS below. Flags: --quick (smaller sizes), --only NAME[,NAME].
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { section as parseSection } from '@/bench/parse-bench';
import { section as traceSection } from '@/bench/trace-bench';
import { section as uiSection } from '@/bench/ui-bench';
import { section as loadSection } from '@/bench/load-bench';

import type { BenchOptions, BenchSection } from './section';

export type { BenchOptions, BenchSection };

/** Every section, in run order. */
export const SECTIONS: BenchSection[] = [parseSection, traceSection, uiSection, loadSection];

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1]?.split(',')) : undefined;
  const results: Record<string, unknown> = {};
  const log = (s: string) => process.stdout.write(`${s}\n`);
  log(
    `kubepath bench (${quick ? 'quick' : 'full'}), node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  for (const s of SECTIONS) {
    if (only && !only.has(s.name)) continue;
    log(`\n== ${s.name} ==`);
    if (s.header) log(s.header);
    results[s.name] = await s.run({ quick, log });
  }
  const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  log(`\nresults: ${path.join(out, 'results.json')}`);
}

await main(process.argv.slice(2));
