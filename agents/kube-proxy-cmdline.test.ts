/**
 * The kube-proxy command-line discovery, run for real in a private network namespace: it reports
 * the kube-proxy process and never itself (its own shell mentions kube-proxy in its command line,
 * and /proc order decided whether that line came first). Root only, like every netns test here.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBE_PROXY_CMDLINE } from './commands';

describe('KUBE_PROXY_CMDLINE in a real netns', () => {
  it('prints the kube-proxy process only, not the collector script', async () => {
    const ns = `kpcmd${process.pid}${Date.now() % 100000}`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-cmdline-'));
    const fake = path.join(dir, 'kube-proxy');
    copyFileSync('/bin/sleep', fake); // a process whose program is named kube-proxy
    execFileSync('ip', ['netns', 'add', ns]);
    const proc = spawn('ip', ['netns', 'exec', ns, fake, '60']);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const out = execFileSync('ip', ['netns', 'exec', ns, ...KUBE_PROXY_CMDLINE], { encoding: 'utf8' });
      expect(out).toBe(`${fake} 60 \n`);
    } finally {
      proc.kill();
      execFileSync('ip', ['netns', 'del', ns]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
