/**
 * Bench section "parse": kube-proxy-shaped dumps (testkit/kube-proxy-writer/synthetic-services.ts, current layout) of
 * 1k, 10k and 50k services × 5 endpoints. For each size: MB, parse ms (median of runs, in a
 * fresh child process), MB/s, peak RSS, the time to build every Rule afterwards, and
 * `iptables-restore --test` on the same file in a private network namespace (the C
 * reference; root only), with the ratio. Target: ratio ≥ 10 at 10k.
 *
 * Times are wall clock AND CPU time: on a loaded machine wall times of both sides inflate.
 * Run alone: node --import tsx bench/parse-bench.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateSyntheticDump } from '@/testkit/kube-proxy-writer/synthetic-services';
import type { ParseOneResult } from '@/bench/parse-one';

export interface ParseBenchRow {
  services: number;
  mb: number;
  rules: number;
  parseMs: number;
  parseCpuMs: number;
  mbPerS: number;
  maxRssMb: number;
  buildAllMs: number;
  restoreMs?: number;
  restoreCpuMs?: number;
  /** restoreMs / parseMs (wall) and the same in CPU time. */
  ratio?: number;
  cpuRatio?: number;
  restoreNote?: string;
}

const here = path.dirname(new URL(import.meta.url).pathname);
const OUT = path.join(here, 'out');
// Bump when the dump's text changes: dumps are cached in bench/out by this version.
// v2: written by testkit/kube-proxy-writer (adds the ITP=Local masquerade rules, +0.12%).
const GEN_VERSION = 2;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function dumpFile(services: number): string {
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `iptables-v${GEN_VERSION}-${services}x5.save`);
  if (!existsSync(file)) writeFileSync(file, generateSyntheticDump(services, 5));
  return file;
}

/** Runs `iptables-restore --test` on the file in a fresh private netns; wall and CPU seconds. */
function restoreTest(file: string): { ms?: number; cpuMs?: number; note?: string } {
  if (process.getuid?.() !== 0) return { note: 'needs root' };
  const ns = `kp${Math.random().toString(16).slice(2, 6)}-bench`;
  if (spawnSync('ip', ['netns', 'add', ns]).status !== 0) return { note: 'ip netns add failed' };
  try {
    const script = `TIMEFORMAT='%R %U %S'; time ip netns exec ${ns} iptables-restore --test < '${file}'`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) return { note: `iptables-restore failed: ${r.stderr.slice(0, 200)}` };
    const [real, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return { ms: real * 1000, cpuMs: (user + sys) * 1000 };
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

export async function runParseBench(opts: { quick?: boolean; log?: (s: string) => void } = {}): Promise<{ section: 'parse'; rows: ParseBenchRow[]; loadAverage: number[] }> {
  const log = opts.log ?? ((s: string) => process.stdout.write(`${s}\n`));
  const sizes = opts.quick ? [1000, 10000] : [1000, 10000, 50000];
  const rows: ParseBenchRow[] = [];
  for (const services of sizes) {
    const file = dumpFile(services);
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'parse-one.ts'), file, '5'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`parse-one failed: ${child.stderr}`);
    const one = JSON.parse(child.stdout) as ParseOneResult;
    const parseMs = median(one.parseMs);
    const mb = one.bytes / 1e6;
    const row: ParseBenchRow = {
      services, mb, rules: one.rules, parseMs, parseCpuMs: median(one.parseCpuMs), mbPerS: mb / (parseMs / 1000), maxRssMb: one.maxRssMb, buildAllMs: one.buildAllMs,
    };
    const restore = restoreTest(file);
    if (restore.ms !== undefined) {
      row.restoreMs = restore.ms;
      row.restoreCpuMs = restore.cpuMs;
      row.ratio = restore.ms / parseMs;
      row.cpuRatio = restore.cpuMs! / row.parseCpuMs;
    } else row.restoreNote = restore.note;
    rows.push(row);
    log(formatRow(row));
  }
  return { section: 'parse', rows, loadAverage: loadavg() };
}

export const PARSE_HEADER = 'services    MB     rules  parse ms (cpu)     MB/s  peak RSS  build-all ms  restore --test ms (cpu)   ratio (cpu)';

export function formatRow(r: ParseBenchRow): string {
  const f = (x: number | undefined, d = 0) => (x === undefined ? '-' : x.toFixed(d));
  const restore = r.restoreMs === undefined ? `n/a (${r.restoreNote})` : `${f(r.restoreMs)} (${f(r.restoreCpuMs)})`;
  const ratio = r.ratio === undefined ? '-' : `${f(r.ratio, 1)}× (${f(r.cpuRatio, 1)}×)`;
  return `${String(r.services).padStart(8)} ${f(r.mb, 1).padStart(5)} ${String(r.rules).padStart(9)}  ${`${f(r.parseMs)} (${f(r.parseCpuMs)})`.padStart(14)} ${f(r.mbPerS).padStart(8)} ${`${f(r.maxRssMb)} MB`.padStart(9)} ${f(r.buildAllMs).padStart(13)}  ${restore.padStart(23)}   ${ratio}`;
}

/** Section entry for bench/run.ts. */
export const section = { name: 'parse', header: PARSE_HEADER, run: runParseBench };

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${PARSE_HEADER}\n`);
  await runParseBench({ quick: process.argv.includes('--quick') });
}
