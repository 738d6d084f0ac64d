/**
 * Small process helpers for the netns lab. Every command runs with an argv array (never a shell
 * string), so addresses and names cannot be re-interpreted by a shell.
 */
import { spawn } from 'node:child_process';
import { registerProcess, unregisterProcess } from './process-registry';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Text written to stdin (e.g. a ruleset for iptables-restore). */
  input?: string;
  /** Kill the command after this many milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Resolve with a non-zero code instead of rejecting. */
  allowFail?: boolean;
}

/** Error for a lab command that failed; carries the command line and its stderr. */
export class LabCommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly result: RunResult,
  ) {
    super(`command failed (exit ${result.code}): ${argv.join(' ')}\n${result.stderr.trim()}`);
    this.name = 'LabCommandError';
  }
}

/** Runs `cmd args...`, collecting stdout/stderr. The child is in the process registry while it runs. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    registerProcess(child, `${cmd} ${args.slice(0, 4).join(' ')}`);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      unregisterProcess(child);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      unregisterProcess(child);
      const result = { code: code ?? (signal ? 128 : 1), stdout, stderr };
      if (result.code !== 0 && !opts.allowFail) reject(new LabCommandError([cmd, ...args], result));
      else resolve(result);
    });
    child.stdin.on('error', () => {}); // the command may exit before reading all of stdin
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a command inside network namespace `ns` (`ip netns exec`). */
export function nsRun(ns: string, cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

/** True when the current process can create network namespaces. */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
