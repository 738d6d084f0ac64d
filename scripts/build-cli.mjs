#!/usr/bin/env node
/**
 * Bundles the CLI ahead of time (cli/main.ts → dist/cli/) so `npx kubepath` starts without a
 * runtime TypeScript loader: a user waits for node plus one bundle, not for tsx transpiling the
 * whole import graph on every run. One chunk per command (code splitting), so `kubepath parse`
 * never loads the SSH or report code. npm packages stay external (resolved from node_modules at
 * run time; ssh2 is native), and the bundle is rebuilt by `npm ci` (prepare), the demo and the
 * test runner, so it cannot lag the sources there.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { kubepath: 'cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // `server-only` throws outside React's server graph; the CLI is a server-side process by definition.
  alias: { 'server-only': path.join(root, 'node_modules/server-only/empty.js') },
  sourcemap: 'linked',
  logLevel: 'warning',
  // ESM output has no require(); some bundled modules (and their deps) call it.
  banner: {
    js: "import { createRequire as __kpCreateRequire } from 'node:module'; const require = __kpCreateRequire(import.meta.url);",
  },
});
