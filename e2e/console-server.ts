/**
 * Starts an extra `next start` of the built console with its own environment (kiosk mode, auth
 * against a test apiserver, a hostile snapshot), on a kernel-chosen loopback port. The default
 * Playwright web server stays as it is; these specs need several differently configured servers.
 * KP_E2E_APP_DIR points at another checkout's build (default: this one, built by `next build`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../testkit/apiserver';

export interface ConsoleServer {
  baseURL: string;
  stop(): Promise<void>;
}

export async function startConsole(env: Record<string, string>): Promise<ConsoleServer> {
  const port = await freePort();
  const cwd = process.env.KP_E2E_APP_DIR ?? process.cwd();
  let log = '';
  const child: ChildProcess = spawn('npx', ['next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', KUBEPATH_KIOSK: '', KUBEPATH_AUTH: '', ...env },
  });
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const baseURL = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const gone = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM'); // the process group: npx and the next server under it
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log.slice(-2000)}`);
    // Any HTTP answer means the server is up (with auth on, the first answer is a 401).
    const up = await fetch(`${baseURL}/api/services`).then(
      () => true,
      () => false,
    );
    if (up) return { baseURL, stop };
    if (i > 240) {
      await stop();
      throw new Error(`next start not answering after 120 s:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
