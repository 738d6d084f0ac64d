/**
 * scripts/test-counts.mjs against real reports: a scratch project with a passing, a skipped, a
 * todo and a failing test is run by the real Vitest and the real Playwright, and the counter must
 * see exactly that and refuse the run. (test-all.sh relies on it to fail on a skipped suite.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countPlaywright, countVitest, judge } from './test-counts.mjs';

const repo = path.resolve(import.meta.dirname, '..');
// Inside the checkout so that the scratch tests resolve vitest and @playwright/test from node_modules.
const dir = mkdtempSync(path.join(repo, '.scratch-counts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = (name: string) => path.join(repo, 'node_modules', '.bin', name);
const counter = path.join(repo, 'scripts', 'test-counts.mjs');

describe('test-counts', () => {
  it('counts a real Vitest report and fails on a skipped suite', () => {
    writeFileSync(path.join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.mjs'] } };\n");
    writeFileSync(
      path.join(dir, 'a.test.mjs'),
      [
        "import { describe, expect, it } from 'vitest';",
        "it('passes', () => expect(1).toBe(1));",
        "describe.skipIf(true)('a guarded suite', () => { it('never runs', () => {}); });",
        "it.todo('later');",
      ].join('\n'),
    );
    const out = path.join(dir, 'v.json');
    execFileSync(
      bin('vitest'),
      ['run', '--root', dir, '--config', path.join(dir, 'vitest.config.mjs'), '--reporter=json', `--outputFile=${out}`],
      { stdio: 'pipe' },
    );
    const c = countVitest(JSON.parse(readFileSync(out, 'utf8')));
    expect({ passed: c.passed, failed: c.failed, skipped: c.skipped, todo: c.todo }).toEqual({
      passed: 1,
      failed: 0,
      skipped: 1,
      todo: 1,
    });
    expect(judge('vitest', c, { requireAll: true }).ok).toBe(false);
    expect(judge('vitest', c, { requireAll: false }).ok).toBe(true);
    // The script itself: exit 1 and the counts line.
    const run = spawnSync(process.execPath, [counter, 'vitest', out], {
      encoding: 'utf8',
      env: { ...process.env, KP_REQUIRE_ALL: '1' },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('vitest: 1 passed, 0 failed, 1 skipped, 1 todo');
    expect(run.stdout).toContain('skipped: ');
  });

  it('counts a real Vitest report with a failing test and a file that does not load', () => {
    writeFileSync(
      path.join(dir, 'b.test.mjs'),
      "import { it, expect } from 'vitest';\nit('fails', () => expect(1).toBe(2));\n",
    );
    writeFileSync(path.join(dir, 'c.test.mjs'), "import './no-such-module.mjs';\n");
    const out = path.join(dir, 'v2.json');
    spawnSync(
      bin('vitest'),
      [
        'run',
        '--root',
        dir,
        '--config',
        path.join(dir, 'vitest.config.mjs'),
        'b.test',
        'c.test',
        '--reporter=json',
        `--outputFile=${out}`,
      ],
      { stdio: 'pipe' },
    );
    const c = countVitest(JSON.parse(readFileSync(out, 'utf8')));
    expect(c.failed).toBe(1);
    expect(c.brokenFiles).toHaveLength(1);
    expect(c.brokenFiles[0]).toContain('c.test.mjs');
    expect(judge('vitest', c, { requireAll: false }).ok).toBe(false);
  });

  it('counts a real Playwright report, with the skip reason', () => {
    writeFileSync(
      path.join(dir, 'pw.config.mjs'),
      `export default { testDir: '.', testMatch: /.*\\.spec\\.mjs$/, workers: 1, outputDir: ${JSON.stringify(path.join(dir, 'pw-out'))} };\n`,
    );
    writeFileSync(
      path.join(dir, 'a.spec.mjs'),
      [
        "import { expect, test } from '@playwright/test';",
        "test('passes', () => expect(1).toBe(1));",
        "test.describe('group', () => { test('guarded', () => { test.skip(true, 'snapshot has no such scenario'); }); });",
      ].join('\n'),
    );
    const out = path.join(dir, 'p.json');
    spawnSync(bin('playwright'), ['test', '--config', path.join(dir, 'pw.config.mjs'), '--reporter=json'], {
      stdio: 'pipe',
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: out, CI: '' },
    });
    const c = countPlaywright(JSON.parse(readFileSync(out, 'utf8')));
    expect({ passed: c.passed, failed: c.failed, skipped: c.skipped }).toEqual({ passed: 1, failed: 0, skipped: 1 });
    expect(c.notRun).toEqual(['skipped: a.spec.mjs > group > guarded (snapshot has no such scenario)']);
    expect(judge('playwright', c, { requireAll: true }).ok).toBe(false);
  });
});
