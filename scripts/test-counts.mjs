#!/usr/bin/env node
/**
 * Counts a test run from the runner's own JSON report and fails when anything did not run.
 *
 *   node scripts/test-counts.mjs vitest     FILE   # vitest --reporter=json --outputFile=FILE
 *   node scripts/test-counts.mjs playwright FILE   # playwright test --reporter=json (PLAYWRIGHT_JSON_OUTPUT_NAME=FILE)
 *   node scripts/test-counts.mjs --total FILE...   # one closing line over all reports: `N passed, N failed, N skipped`
 *
 * Prints `RUNNER: N passed, N failed, N skipped, N todo` and the name of every test that did not
 * pass. Exit 1 when a test failed, a test file failed to load, nothing ran at all, or (as root, or
 * with KP_REQUIRE_ALL=1) any test was skipped or left todo — as root on this machine every suite
 * can run, so a skip means a guard (`skipIf`, `runIf`, `test.skip(!scenario)`) silently dropped it.
 *
 * PLATFORM_SKIPS lists the skips a correct machine may still produce, each with why; a skip
 * matching one is counted and printed but does not fail the run.
 */
import { readFileSync } from 'node:fs';

/** [runner, pattern on "file > title", why it may legitimately skip]. */
export const PLATFORM_SKIPS = [
  [
    'vitest',
    /testkit\/kernel\/ipvs\.test\.ts > .*(Protocol not available|adding a virtual server fails)/,
    'asserts the error of a kernel WITHOUT ip_vs; it skips itself on a kernel that has ip_vs loaded',
  ],
];

/** Vitest's JSON reporter (jest-compatible): testResults[].assertionResults[].status. */
export function countVitest(report) {
  const c = { passed: 0, failed: 0, skipped: 0, todo: 0, brokenFiles: [], notRun: [], failures: [] };
  for (const file of report.testResults ?? []) {
    const name = relative(file.name);
    const results = file.assertionResults ?? [];
    // A file that failed to load (syntax error, import error, a throwing top level) has no tests.
    if (file.status === 'failed' && results.every((r) => r.status !== 'failed')) {
      c.brokenFiles.push(`${name}: ${(file.message ?? '').split('\n')[0]}`);
    }
    for (const r of results) {
      const title = `${name} > ${[...(r.ancestorTitles ?? []), r.title].join(' > ')}`;
      if (r.status === 'passed') {
        c.passed++;
      } else if (r.status === 'failed') {
        c.failed++;
        c.failures.push(title);
      } else if (r.status === 'todo') {
        c.todo++;
        c.notRun.push(`todo: ${title}`);
      } else {
        // 'skipped', 'pending', 'disabled'
        c.skipped++;
        c.notRun.push(`skipped: ${title}`);
      }
    }
  }
  return c;
}

/** Playwright's JSON reporter: suites (nested) > specs > tests[].status, with annotations for skip reasons. */
export function countPlaywright(report) {
  const c = { passed: 0, failed: 0, skipped: 0, todo: 0, brokenFiles: [], notRun: [], failures: [] };
  const walk = (suite, trail) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const title = `${spec.file ?? suite.file ?? ''} > ${[...trail, spec.title].filter(Boolean).join(' > ')}`;
        if (t.status === 'expected' || t.status === 'flaky') c.passed++;
        else if (t.status === 'skipped') {
          const why = (t.annotations ?? []).find((a) => a.type === 'skip')?.description;
          c.skipped++;
          c.notRun.push(`skipped: ${title}${why ? ` (${why})` : ''}`);
        } else {
          c.failed++;
          c.failures.push(title);
        }
      }
    }
    for (const s of suite.suites ?? []) walk(s, [...trail, s.title]);
  };
  for (const s of report.suites ?? []) walk(s, []);
  for (const e of report.errors ?? []) c.brokenFiles.push((e.message ?? String(e)).split('\n')[0]);
  return c;
}

function relative(p) {
  const cwd = `${process.cwd()}/`;
  return typeof p === 'string' && p.startsWith(cwd) ? p.slice(cwd.length) : p;
}

/** The verdict for one run: printed lines and whether it passes. */
export function judge(runner, c, { requireAll }) {
  const lines = [`${runner}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.todo} todo`];
  let ok = c.failed === 0 && c.brokenFiles.length === 0 && c.passed > 0;
  for (const f of c.failures) lines.push(`  failed: ${f}`);
  for (const f of c.brokenFiles) lines.push(`  did not load: ${f}`);
  if (c.passed === 0) lines.push('  no test passed: the runner found nothing to run');
  for (const n of c.notRun) {
    const allowed = PLATFORM_SKIPS.find(([r, re]) => r === runner && re.test(n));
    if (allowed) lines.push(`  ${n} — allowed: ${allowed[2]}`);
    else {
      lines.push(`  ${n}`);
      if (requireAll) ok = false;
    }
  }
  if (!ok && requireAll && c.notRun.length > 0 && c.failed === 0) {
    lines.push(`  ${runner}: tests were skipped; as root every suite must run (see scripts/test-counts.mjs)`);
  }
  return { ok, lines };
}

function readReport(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Which runner wrote a report: Playwright's has `config` and `suites`, Vitest's `numTotalTests`. */
function countAny(report) {
  return 'numTotalTests' in report ? countVitest(report) : countPlaywright(report);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [runner, ...files] = process.argv.slice(2);
  if (runner === '--total') {
    const sum = { passed: 0, failed: 0, skipped: 0, todo: 0 };
    for (const f of files) for (const [k, v] of Object.entries(countAny(readReport(f)))) if (k in sum) sum[k] += v;
    console.log(`${sum.passed} passed, ${sum.failed} failed, ${sum.skipped + sum.todo} skipped`);
    process.exit(0);
  }
  const file = files[0];
  if (!['vitest', 'playwright'].includes(runner) || !file) {
    console.error('usage: node scripts/test-counts.mjs vitest|playwright REPORT.json | --total REPORT.json...');
    process.exit(2);
  }
  let report;
  try {
    report = readReport(file);
  } catch (e) {
    console.error(`${runner}: no readable JSON report at ${file}: ${e.message}`);
    process.exit(1);
  }
  const counts = runner === 'vitest' ? countVitest(report) : countPlaywright(report);
  const requireAll = process.env.KP_REQUIRE_ALL === '1' || process.getuid?.() === 0;
  const { ok, lines } = judge(runner, counts, { requireAll });
  console.log(lines.join('\n'));
  process.exit(ok ? 0 : 1);
}
