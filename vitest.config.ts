import { defineConfig } from 'vitest/config';
import path from 'node:path';

const all = ['lib/**/*.test.ts', 'agents/**/*.test.ts', 'cli/**/*.test.ts', 'testkit/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'];
// Files that start the real-cluster lab. Two labs at once on one machine have look-alike pods
// (same pod IPs in different namespaces, all visible through the shared /proc), which is exactly
// what a collector must never see on a real node; so these files run one after another.
const labFiles = ['scripts/lab/lab.test.ts', 'testkit/lab-collect/**/*.test.ts', 'testkit/**/*.lab.test.ts'];

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    exclude: ['e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // Kernel tests build network namespaces with unique name prefixes, so other files run in parallel.
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: all, exclude: ['e2e/**', 'node_modules/**', ...labFiles] } },
      { extends: true, test: { name: 'lab', include: labFiles, fileParallelism: false } },
    ],
  },
});
