/**
 * The layering rules of .dependency-cruiser.cjs on a scratch tree with one import of each kind:
 * every forbidden arrow is reported under its rule, and the allowed ones (a lib test using
 * testkit, a component importing only types from lib/parse) are not.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-depcruise-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
  'lib/parse/p.ts': 'export const parse = (s: string) => s;\nexport type Parsed = string;\n',
  'lib/model/m.ts': 'export type M = number;\n',
  'lib/uses-testkit.ts': "import { build } from '@/testkit/t';\nexport const x = build();\n",
  'lib/uses-testkit.test.ts': "import { build } from '@/testkit/t';\nexport const y = build();\n",
  'lib/test-uses-scripts.test.ts': "import { s } from '@/scripts/s';\nexport const z = s;\n",
  'lib/c1.ts': "import { c2 } from './c2';\nexport const c1 = () => c2;\n",
  'lib/c2.ts': "import { c1 } from './c1';\nexport const c2 = () => c1;\n",
  'lib/t1.ts': "import type { T2 } from './t2';\nexport type T1 = { a?: T2 };\n",
  'lib/t2.ts': "import type { T1 } from './t1';\nexport type T2 = { b?: T1 };\n",
  'testkit/t.ts': "import { parse } from '@/lib/parse/p';\nexport const build = () => parse('x');\n",
  'scripts/s.ts': 'export const s = 1;\n',
  'cli/main.ts': 'export const main = 1;\n',
  'components/bad.tsx': "import { parse } from '@/lib/parse/p';\nexport const Bad = () => parse('x');\n",
  'components/ok.tsx':
    "import type { Parsed } from '@/lib/parse/p';\nimport type { M } from '@/lib/model/m';\nexport const Ok = (p: Parsed, m: M) => p + m;\n",
  'agents/a.ts':
    "import { main } from '@/cli/main';\nimport { build } from '@/testkit/t';\nexport const a = [main, build];\n",
  'agents/a.test.ts': "import { build } from '@/testkit/t';\nexport const at = build;\n",
  'app/page.tsx': "import { build } from '@/testkit/t';\nexport default build;\n",
};
for (const [f, text] of Object.entries(files)) {
  mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
  writeFileSync(path.join(dir, f), text);
}

it('each forbidden arrow is reported under its rule, and only those', () => {
  const cruise = (outputType: string) =>
    spawnSync(
      path.join(repo, 'node_modules', '.bin', 'depcruise'),
      [
        '--config',
        path.join(repo, '.dependency-cruiser.cjs'),
        '--output-type',
        outputType,
        'lib',
        'testkit',
        'scripts',
        'cli',
        'components',
        'agents',
        'app',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
  const r = cruise('json');
  const out = JSON.parse(r.stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  // A circle is reported once, at the edge where depcruise first closes it.
  const got = out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
  expect(got).toEqual(
    [
      'agents-no-testkit: agents/a.ts -> testkit/t.ts',
      'agents-transport-only: agents/a.ts -> cli/main.ts',
      'components-no-domain-runtime: components/bad.tsx -> lib/parse/p.ts',
      'lib-imports-no-upper-layer: lib/uses-testkit.ts -> testkit/t.ts',
      'lib-tests-import-only-testkit: lib/test-uses-scripts.test.ts -> scripts/s.ts',
      'no-circular: lib/c1.ts -> lib/c2.ts',
      'no-circular: lib/t1.ts -> lib/t2.ts',
      'testkit-only-from-tests: agents/a.ts -> testkit/t.ts',
      'testkit-only-from-tests: app/page.tsx -> testkit/t.ts',
      'testkit-only-from-tests: lib/uses-testkit.ts -> testkit/t.ts',
    ].sort(),
  );
  // What `npm run lint:deps` sees: the text reporter exits non-zero on errors.
  const text = cruise('err');
  expect(text.status).not.toBe(0);
  expect(text.stdout).toContain('10 dependency violations');
});
