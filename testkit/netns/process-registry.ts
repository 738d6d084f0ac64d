/**
 * Every process the lab starts (pod servers, probes, restores) is recorded here so teardown, a
 * crashed test run or Ctrl-C never leaves servers running inside deleted namespaces. Namespaces are
 * registered too, so the synchronous exit handler can delete them.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';

const processes = new Map<number, { child: ChildProcess; what: string }>();
const namespaces = new Set<string>();
let handlersInstalled = false;

/** Records a started child process (no-op if it has no pid, i.e. failed to spawn). */
export function registerProcess(child: ChildProcess, what: string): void {
  if (child.pid === undefined) return;
  processes.set(child.pid, { child, what });
  child.once('exit', () => processes.delete(child.pid as number));
  installExitHandlers();
}

export function unregisterProcess(child: ChildProcess): void {
  if (child.pid !== undefined) processes.delete(child.pid);
}

/** Records a namespace this run created, for the emergency cleanup on process exit. */
export function registerNamespace(ns: string): void {
  namespaces.add(ns);
  installExitHandlers();
}

export function unregisterNamespace(ns: string): void {
  namespaces.delete(ns);
}

/** Processes still alive that this run started (for tests and diagnostics). */
export function liveProcesses(): { pid: number; what: string }[] {
  return [...processes.entries()].map(([pid, p]) => ({ pid, what: p.what }));
}

/** Kills the given registered processes (by pid; never by name) and waits for them to exit. */
export async function killProcesses(pids: number[], graceMs = 1000): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const pid of pids) {
    const entry = processes.get(pid);
    if (!entry) continue;
    const { child } = entry;
    if (child.exitCode !== null || child.signalCode !== null) continue;
    waits.push(
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, graceMs);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
    );
  }
  await Promise.all(waits);
}

/** Synchronous last-resort cleanup: kill what is left and delete what this run created. */
function emergencyCleanup(): void {
  for (const [pid] of processes) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  processes.clear();
  for (const ns of namespaces) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
  namespaces.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', emergencyCleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      emergencyCleanup();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}
