/**
 * Transport-neutral command execution: the collector asks a CommandRunner to run an allowlisted argv
 * and gets a RawCapture back. SSH (agents/ssh) and local child_process (the pod agent) implement it.
 */
import { sha256 } from '@/lib/snapshot/hash';
import type { RawCapture } from '@/lib/model/snapshot';
import type { Argv } from './commands';

export interface RunLimits {
  /** Kill the command after this long and mark the capture `error: timeout`. */
  timeoutMs: number;
  /** Stop reading after this many bytes of stdout and mark the capture truncated. */
  maxBytes: number;
}

export interface CommandRunner {
  /** Human-readable origin, e.g. `ssh root@10.0.0.1:22` or `local`. */
  readonly via: string;
  run(argv: Argv, limits: RunLimits): Promise<RawCapture>;
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: RunLimits = { timeoutMs: 20_000, maxBytes: 64 * 1024 * 1024 };

export { sha256 };

/** Accumulates output up to a byte cap; reports whether anything was dropped. */
export class CappedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}

  /** Returns false once the cap is exceeded (the caller should stop the command). */
  push(chunk: Buffer): boolean {
    if (this.truncated) return false;
    const room = this.cap - this.size;
    if (chunk.length > room) {
      if (room > 0) this.chunks.push(chunk.subarray(0, room));
      this.size = this.cap;
      this.truncated = true;
      return false;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export interface Finished {
  command: string;
  stdout: CappedBuffer;
  stderr: CappedBuffer;
  exitCode: number | null;
  timedOut: boolean;
  spawnError?: string;
  startedAt: number;
}

/** Shape a finished command into a RawCapture, classifying the usual failure modes. */
export function toCapture(f: Finished, limits: RunLimits): RawCapture {
  const stdout = f.stdout.text();
  const stderr = f.stderr.text();
  const capture: RawCapture = {
    command: f.command,
    stdout,
    stderr,
    exitCode: f.exitCode,
    sha256: sha256(stdout),
    durationMs: Date.now() - f.startedAt,
  };
  if (f.stdout.truncated) {
    capture.truncated = true;
    capture.error = `output too large: cut at ${limits.maxBytes} bytes`;
  } else if (f.timedOut) {
    capture.error = `timeout after ${limits.timeoutMs} ms`;
  } else if (f.spawnError) {
    capture.error = f.spawnError;
  } else if (f.exitCode === 127) {
    capture.error = `missing binary: ${stderr.trim().split('\n')[0] || 'exit 127'}`;
  } else if (f.exitCode !== 0) {
    capture.error = `exit ${f.exitCode ?? 'signal'}: ${stderr.trim().split('\n')[0] ?? ''}`.trim();
  }
  return capture;
}
