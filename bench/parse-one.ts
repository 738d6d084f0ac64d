/**
 * Child process of the parse bench: parses one file RUNS times in a fresh heap and prints
 * JSON timings. Separate process so that peak RSS belongs to this size only.
 *
 * Usage: node --import tsx bench/parse-one.ts FILE [RUNS]
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { summarizeIptables } from '@/lib/parse/iptables-summary';

export interface ParseOneResult {
  bytes: number;
  rules: number;
  issues: number;
  /** Wall and CPU time of parseIptablesSave (lazy rule building), per run. */
  parseMs: number[];
  parseCpuMs: number[];
  /** summarizeIptables on a fresh parse (what `kubepath parse` prints), first run only. */
  summaryMs: number;
  /** Building every Rule object afterwards (what a full JSON export pays), first run only. */
  buildAllMs: number;
  buildAllCpuMs: number;
  maxRssMb: number;
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

const file = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
const text = readFileSync(file, 'utf8');
const out: ParseOneResult = {
  bytes: Buffer.byteLength(text),
  rules: 0,
  issues: 0,
  parseMs: [],
  parseCpuMs: [],
  summaryMs: 0,
  buildAllMs: 0,
  buildAllCpuMs: 0,
  maxRssMb: 0,
};
for (let r = 0; r < runs; r++) {
  const c = process.cpuUsage();
  const t = performance.now();
  const { value, issues } = parseIptablesSave(text);
  out.parseMs.push(performance.now() - t);
  out.parseCpuMs.push(cpuMs(c));
  out.issues = issues.length;
  if (r === 0) {
    const t1 = performance.now();
    summarizeIptables(value);
    out.summaryMs = performance.now() - t1;
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    let rules = 0;
    for (const table of Object.values(value.tables))
      for (const chain of Object.values(table!.chains)) rules += chain.rules.length;
    out.buildAllMs = performance.now() - t2;
    out.buildAllCpuMs = cpuMs(c2);
    out.rules = rules;
  }
}
out.maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(out)}\n`);
