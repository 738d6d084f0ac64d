/**
 * Vitest global setup: rebuild the CLI bundle before any test runs, so the subprocess tests of
 * `bin/kubepath.mjs` exercise the sources as they are now, through the same bundle users run.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../scripts/build-cli.mjs')], { stdio: 'inherit' });
}
