import { defineConfig } from 'vitest/config';
import path from 'node:path';

const all = ['lib/**/*.test.ts', 'agents/**/*.test.ts', 'cli/**/*.test.ts', 'testkit/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'];
// Files that start the real-cluster lab. Two labs at once on one machine have look-alike pods
// (same pod IPs in different namespaces, all visible through the shared /proc), which is exactly
// what a collector must never see on a real node; so these files run one after another.
const labFiles = ['scripts/lab/lab.test.ts', 'testkit/lab-collect/**/*.test.ts'];

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // Unit tests run server modules in Node, i.e. on the server: the marker's no-op side, as Next's
      // react-server condition picks it (its default side throws, to keep them out of browser bundles).
      'server-only': path.resolve(import.meta.dirname, 'node_modules/server-only/empty.js'),
    },
  },
  test: {
    exclude: ['e2e/**', 'node_modules/**'],
    // The CLI's subprocess tests run the ahead-of-time bundle: build it from the current sources first.
    globalSetup: ['testkit/build-cli.global-setup.ts'],
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
