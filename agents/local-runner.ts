/**
 * Runs allowlisted commands locally via child_process (no shell): the pod agent's transport, and the
 * collector's when kubepath runs on the node itself.
 */
import { spawn } from 'node:child_process';
import type { RawCapture } from '@/lib/model/snapshot';
import { shellQuote, type Argv } from './commands';
import { CappedBuffer, toCapture, type CommandRunner, type Finished, type RunLimits } from './runner';

export class LocalRunner implements CommandRunner {
  readonly via: string;
  constructor(
    via = 'local',
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.via = via;
  }

  run(argv: Argv, limits: RunLimits): Promise<RawCapture> {
    return new Promise((resolve) => {
      const f: Finished = {
        command: shellQuote(argv),
        stdout: new CappedBuffer(limits.maxBytes),
        stderr: new CappedBuffer(256 * 1024),
        exitCode: null,
        timedOut: false,
        startedAt: Date.now(),
      };
      // detached: its own process group, so a kill reaches `sh -c` children too.
      const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: this.env, detached: true });
      const kill = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      };
      const timer = setTimeout(() => {
        f.timedOut = true;
        kill();
      }, limits.timeoutMs);
      child.stdout.on('data', (c: Buffer) => {
        if (!f.stdout.push(c)) kill();
      });
      child.stderr.on('data', (c: Buffer) => f.stderr.push(c));
      child.on('error', (err: NodeJS.ErrnoException) => {
        f.spawnError = err.code === 'ENOENT' ? `missing binary: ${argv[0]} not found` : err.message;
        if (err.code === 'ENOENT') f.exitCode = 127;
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        f.exitCode = f.exitCode ?? code;
        resolve(toCapture(f, limits));
      });
    });
  }

  async close(): Promise<void> {}
}
