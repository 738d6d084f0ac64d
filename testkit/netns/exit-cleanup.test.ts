/** The process-exit handlers delete the run's namespaces and kill its servers even without teardown. Root only. */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRoot, run } from './exec';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Running (not gone, not a zombie waiting for whichever ancestor reaps orphans). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe.skipIf(!isRoot())('emergency cleanup (needs root: network namespaces; skipped otherwise)', () => {
  it.each(['exit', 'signal'])('on %s', async (mode) => {
    const res = await run(process.execPath, ['--import', 'tsx', path.join(HERE, 'exit-cleanup-fixture.ts'), mode], {
      allowFail: true,
      timeoutMs: 60_000,
    });
    expect(res.code).toBe(mode === 'exit' ? 3 : 143);
    const made = JSON.parse(res.stdout.trim().split('\n')[0]) as { prefix: string; pids: number[] };
    expect(made.pids.length).toBeGreaterThan(0);
    expect((await run('ip', ['netns', 'list'])).stdout).not.toContain(made.prefix);
    expect(made.pids.filter(alive)).toEqual([]);
  });
});
