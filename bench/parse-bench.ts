/**
 * Bench section "parse": kube-proxy-shaped dumps (testkit/kube-proxy-writer/synthetic-services.ts, current layout) of
 * 1k, 10k and 50k services × 5 endpoints. For each size, in the same run:
 *  - in process (bench/parse-one.ts, a fresh child): parse ms (median of runs), MB/s, the
 *    summary on a fresh parse, the time to build every Rule afterwards;
 *  - whole process, what a user or a script waits for: `node bin/kubepath.mjs parse
 *    --iptables-save FILE` (wall, CPU, peak RSS; medians of RUNS runs);
 *  - `iptables-restore --test` on the same file in a private network namespace (the C
 *    reference; root only), interleaved with the kubepath runs so both see the same load,
 *    and the ratios restore / kubepath (wall and CPU). Target: ≥ 10× at 10k.
 * Then linearity (whole-process time per MB at 50k against 10k) and CLI startup
 * (`kubepath --help` against `node -e 0`, target ≤ 2×).
 *
 * Wall AND CPU time: on a loaded machine wall times of both sides inflate.
 * Run alone: node --import tsx bench/parse-bench.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateSyntheticDump } from '@/testkit/kube-proxy-writer/synthetic-services';
import type { ParseOneResult } from '@/bench/parse-one';
import type { ProcessTime } from '@/bench/process-time';
import { median, medianTime, timeProcess } from '@/bench/process-time';

export interface ParseBenchRow {
  services: number;
  mb: number;
  rules: number;
  /** In process: parseIptablesSave alone (median of runs), and summarizeIptables on a fresh parse. */
  parseMs: number;
  parseCpuMs: number;
  mbPerS: number;
  summaryMs: number;
  buildAllMs: number;
  /** Peak RSS of the in-process child (all its runs). */
  maxRssMb: number;
  /** Whole process: `node bin/kubepath.mjs parse --iptables-save FILE`, medians. */
  cli: ProcessTime;
  restore?: ProcessTime;
  /** restore / kubepath whole process, wall and CPU. */
  ratio?: number;
  cpuRatio?: number;
  restoreNote?: string;
}

export interface StartupRow {
  nodeMs: number;
  helpMs: number;
  /** helpMs / nodeMs (target ≤ 2). */
  ratio: number;
}

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.join(here, '..');
const OUT = path.join(here, 'out');
// Bump when the dump's text changes: dumps are cached in bench/out by this version.
// v2: written by testkit/kube-proxy-writer (adds the ITP=Local masquerade rules, +0.12%).
const GEN_VERSION = 2;
/** Whole-process runs per size (and restore runs, interleaved); medians are reported. */
const RUNS = 5;
const STARTUP_RUNS = 9;

function dumpFile(services: number): string {
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `iptables-v${GEN_VERSION}-${services}x5.save`);
  if (!existsSync(file)) writeFileSync(file, generateSyntheticDump(services, 5));
  return file;
}

/** A fresh private netns for `iptables-restore --test`, or a note why not. */
function withNetns<T>(run: (ns: string) => T): T | { note: string } {
  if (process.getuid?.() !== 0) return { note: 'needs root' };
  const ns = `kp${Math.random().toString(16).slice(2, 6)}-bench`;
  if (spawnSync('ip', ['netns', 'add', ns]).status !== 0) return { note: 'ip netns add failed' };
  try {
    return run(ns);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

function cliParse(file: string): ProcessTime {
  return timeProcess(process.execPath, [path.join(root, 'bin', 'kubepath.mjs'), 'parse', '--iptables-save', file]);
}

function restoreTest(ns: string, file: string): ProcessTime {
  return timeProcess('ip', ['netns', 'exec', ns, 'iptables-restore', '--test'], { stdinFile: file });
}

function inProcess(file: string): ParseOneResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'parse-one.ts'), file, '5'], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    cwd: root,
  });
  if (child.status !== 0) throw new Error(`parse-one failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as ParseOneResult;
}

export async function runParseBench(opts: { quick?: boolean; log?: (s: string) => void } = {}): Promise<{
  section: 'parse';
  rows: ParseBenchRow[];
  linearity?: { from: number; to: number; sizeRatio: number; timeRatio: number; cpuRatio?: number };
  startup: StartupRow;
  loadAverage: number[];
}> {
  const log = opts.log ?? ((s: string) => process.stdout.write(`${s}\n`));
  const sizes = opts.quick ? [1000, 10000] : [1000, 10000, 50000];
  const rows: ParseBenchRow[] = [];
  for (const services of sizes) {
    const file = dumpFile(services);
    const one = inProcess(file);
    const parseMs = median(one.parseMs);
    const mb = one.bytes / 1e6;
    cliParse(file); // warm the page cache and the bundle once, untimed
    const cliRuns: ProcessTime[] = [];
    const restoreRuns: ProcessTime[] = [];
    const netns = withNetns((ns) => {
      for (let r = 0; r < RUNS; r++) {
        cliRuns.push(cliParse(file));
        restoreRuns.push(restoreTest(ns, file));
      }
      return true as const;
    });
    if (netns !== true) for (let r = 0; r < RUNS; r++) cliRuns.push(cliParse(file));
    const row: ParseBenchRow = {
      services,
      mb,
      rules: one.rules,
      parseMs,
      parseCpuMs: median(one.parseCpuMs),
      mbPerS: mb / (parseMs / 1000),
      summaryMs: one.summaryMs,
      buildAllMs: one.buildAllMs,
      maxRssMb: one.maxRssMb,
      cli: medianTime(cliRuns),
    };
    if (netns === true) {
      row.restore = medianTime(restoreRuns);
      row.ratio = row.restore.wallMs / row.cli.wallMs;
      if (row.restore.cpuMs !== undefined && row.cli.cpuMs) row.cpuRatio = row.restore.cpuMs / row.cli.cpuMs;
    } else row.restoreNote = netns.note;
    rows.push(row);
    log(formatRow(row));
  }
  const a = rows.find((r) => r.services === 10000);
  const b = rows.find((r) => r.services === 50000);
  let linearity;
  if (a && b) {
    linearity = {
      from: a.services,
      to: b.services,
      sizeRatio: b.mb / a.mb,
      timeRatio: b.cli.wallMs / a.cli.wallMs,
      cpuRatio: a.cli.cpuMs && b.cli.cpuMs ? b.cli.cpuMs / a.cli.cpuMs : undefined,
    };
    log(
      `linearity: 50k/10k whole process ${linearity.timeRatio.toFixed(2)}× wall${linearity.cpuRatio ? `, ${linearity.cpuRatio.toFixed(2)}× cpu` : ''} for ${linearity.sizeRatio.toFixed(2)}× the bytes (linear = ${linearity.sizeRatio.toFixed(2)})`,
    );
  }
  const startup = measureStartup();
  log(
    `startup: kubepath --help ${startup.helpMs.toFixed(0)} ms, node -e 0 ${startup.nodeMs.toFixed(0)} ms: ${startup.ratio.toFixed(2)}× (target ≤ 2×; medians of ${STARTUP_RUNS}, interleaved)`,
  );
  return { section: 'parse', rows, linearity, startup, loadAverage: loadavg() };
}

/** Wall time of a direct spawn (no shell, no GNU time: at ~50 ms their own cost would count). */
function spawnMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore', cwd: root });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function measureStartup(): StartupRow {
  const help = [path.join(root, 'bin', 'kubepath.mjs'), '--help'];
  spawnMs(help);
  const node: number[] = [];
  const kp: number[] = [];
  for (let r = 0; r < STARTUP_RUNS; r++) {
    node.push(spawnMs(['-e', '0']));
    kp.push(spawnMs(help));
  }
  const nodeMs = median(node);
  const helpMs = median(kp);
  return { nodeMs, helpMs, ratio: helpMs / nodeMs };
}

export const PARSE_HEADER =
  'services    MB     rules | in process: parse ms (cpu)  MB/s  summary  build-all | kubepath parse: wall (cpu) ms  peak RSS | restore --test: wall (cpu) ms | ratio wall (cpu)';

export function formatRow(r: ParseBenchRow): string {
  const f = (x: number | undefined, d = 0) => (x === undefined ? '-' : x.toFixed(d));
  const restore = r.restore === undefined ? `n/a (${r.restoreNote})` : `${f(r.restore.wallMs)} (${f(r.restore.cpuMs)})`;
  const ratio = r.ratio === undefined ? '-' : `${f(r.ratio, 1)}× (${f(r.cpuRatio, 1)}×)`;
  return [
    `${String(r.services).padStart(8)} ${f(r.mb, 1).padStart(5)} ${String(r.rules).padStart(9)} |`,
    `${`${f(r.parseMs)} (${f(r.parseCpuMs)})`.padStart(26)} ${f(r.mbPerS).padStart(5)} ${f(r.summaryMs).padStart(8)} ${f(r.buildAllMs).padStart(10)} |`,
    `${`${f(r.cli.wallMs)} (${f(r.cli.cpuMs)})`.padStart(29)} ${`${f(r.cli.maxRssMb)} MB`.padStart(9)} |`,
    `${restore.padStart(29)} | ${ratio}`,
  ].join(' ');
}

/** Section entry for bench/run.ts. */
export const section = { name: 'parse', header: PARSE_HEADER, run: runParseBench };

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${PARSE_HEADER}\n`);
  await runParseBench({ quick: process.argv.includes('--quick') });
}
