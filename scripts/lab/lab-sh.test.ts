/**
 * lab.sh's command-line contract, the parts that need neither root nor the k8s binaries:
 * usage errors, prerequisite failures that say what to do, and an idempotent `down`.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { run } from '@/testkit/lab/lab-exec';
import { labUnavailableReason } from '@/testkit/lab/cluster';

const LAB_SH = path.join(__dirname, 'lab.sh');

describe('lab.sh', () => {
  it('rejects an unknown argument with exit 2 and a usage line', async () => {
    const r = await run(['bash', LAB_SH, 'sideways']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage: lab\.sh/);
  });

  it('refuses `down` without --run-dir', async () => {
    const r = await run(['bash', LAB_SH, 'down']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--run-dir');
  });

  it('treats `down` of a run dir that does not exist as already down', async () => {
    const r = await run(['bash', LAB_SH, 'down', '--run-dir', '/nonexistent/kubepath-lab-test']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('nothing to tear down');
  });

  it('fails `up` with exit 3 and the command to run when a prerequisite is missing', async () => {
    const r = await run([
      'env',
      'KUBEPATH_K8S_BIN=/nonexistent/k8s-bin',
      'bash',
      LAB_SH,
      'up',
      '--detach',
      '--run-dir',
      '/nonexistent/x',
    ]);
    expect(r.code).toBe(3);
    if (process.getuid?.() === 0) {
      expect(r.stderr).toBe(
        'missing /nonexistent/k8s-bin/kube-apiserver: build it first with: bash scripts/lab/build-k8s.sh (about 5 min, cached)\n',
      );
    } else {
      expect(r.stderr).toContain('must run as root');
    }
  });

  it.skipIf(labUnavailableReason() !== null)(
    'refuses to start a second lab in a run dir that holds one, and leaves it alone',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kubepath-lab-test-'));
      try {
        writeFileSync(path.join(dir, 'lab.env'), 'PREFIX=kpffff\n');
        const r = await run(['bash', LAB_SH, 'up', '--detach', '--run-dir', dir]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('already holds a lab');
        expect(readFileSync(path.join(dir, 'lab.env'), 'utf8')).toBe('PREFIX=kpffff\n');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
