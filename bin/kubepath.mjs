#!/usr/bin/env node
// Entry point for `npx kubepath`. Runs the ahead-of-time bundle (dist/cli, built by
// scripts/build-cli.mjs on `npm ci`, by the demo and by the test runner) so startup is node plus
// one file. Without a bundle (a checkout where nothing was built yet), or with
// KUBEPATH_CLI_FROM_SOURCE=1 while editing the CLI, it runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'cli', 'kubepath.js');
let main;
if (process.env.KUBEPATH_CLI_FROM_SOURCE !== '1' && existsSync(bundle)) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(path.join(root, 'cli', 'main.ts')).href));
}
process.exitCode = await main(process.argv.slice(2));
