/**
 * Whole-process figures for the bench: wall time, CPU time (user + system, all threads) and
 * peak RSS of one command, as a user or a script waiting for it sees them. Measured through
 * GNU time (`/usr/bin/time -f`), which reads the child's rusage; without it, wall time only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ProcessTime {
  wallMs: number;
  cpuMs?: number;
  maxRssMb?: number;
}

const GNU_TIME = '/usr/bin/time';
const MARK = 'kp-time:';

/** Runs `cmd args` once (stdin from `stdinFile` when given, output discarded); throws if it fails. */
export function timeProcess(cmd: string, args: string[], opts: { stdinFile?: string } = {}): ProcessTime {
  const withTime = existsSync(GNU_TIME);
  // bash for the stdin redirection; the command itself is passed as positional words, never spliced.
  const script = `${withTime ? `${GNU_TIME} -f '${MARK}%e %U %S %M' ` : ''}"$@"${opts.stdinFile ? ' < "$KP_STDIN"' : ''} > /dev/null`;
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', script, 'bash', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, KP_STDIN: opts.stdinFile ?? '' },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 300)}`);
  const line = r.stderr.split('\n').find((l) => l.startsWith(MARK));
  if (line === undefined) return { wallMs };
  const [elapsed, user, sys, rssKb] = line.slice(MARK.length).trim().split(' ').map(Number);
  return { wallMs: elapsed * 1000, cpuMs: (user + sys) * 1000, maxRssMb: rssKb / 1024 };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median of each figure over several runs. */
export function medianTime(runs: ProcessTime[]): ProcessTime {
  const out: ProcessTime = { wallMs: median(runs.map((r) => r.wallMs)) };
  if (runs.every((r) => r.cpuMs !== undefined)) out.cpuMs = median(runs.map((r) => r.cpuMs!));
  if (runs.every((r) => r.maxRssMb !== undefined)) out.maxRssMb = median(runs.map((r) => r.maxRssMb!));
  return out;
}
