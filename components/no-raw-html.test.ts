import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(tsx?|jsx?)$/.test(f) && !f.endsWith('.test.ts') ? [p] : [];
  });
}

describe('console rendering', () => {
  it('never injects HTML: no dangerouslySetInnerHTML, innerHTML or cytoscape html labels in app/ or components/', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const all = [...files(path.join(root, 'app')), ...files(path.join(root, 'components'))];
    expect(all.length).toBeGreaterThan(10);
    const bad = all.filter((f) =>
      /dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML|insertAdjacentHTML|cytoscape-node-html-label/.test(
        readFileSync(f, 'utf8'),
      ),
    );
    expect(bad).toEqual([]);
  });
});
