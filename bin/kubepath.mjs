#!/usr/bin/env node
// Entry point for `npx kubepath`: registers tsx so the TypeScript CLI runs without a build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

register();
const here = path.dirname(fileURLToPath(import.meta.url));
const { main } = await import(path.join(here, '..', 'cli', 'main.ts'));
process.exitCode = await main(process.argv.slice(2));
