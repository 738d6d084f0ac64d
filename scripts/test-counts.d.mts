// Types for scripts/test-counts.mjs (plain JavaScript so that test-all.sh runs it with bare node).
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  /** Test files that failed to load (no test in them ran). */
  brokenFiles: string[];
  /** `skipped: FILE > TITLE` / `todo: FILE > TITLE`, with Playwright's skip reason in parentheses. */
  notRun: string[];
  failures: string[];
}
export const PLATFORM_SKIPS: [runner: string, pattern: RegExp, why: string][];
export function countVitest(report: unknown): Counts;
export function countPlaywright(report: unknown): Counts;
export function judge(runner: string, counts: Counts, opts: { requireAll: boolean }): { ok: boolean; lines: string[] };
