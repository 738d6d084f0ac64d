/**
 * Which snapshot the console serves: `KUBEPATH_SNAPSHOT` when set, else the captured demo
 * (`demo/demo-snapshot.json`), else the provisional one this repo generates from a netns lab.
 */
import 'server-only';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function locateSnapshot(
  env: Record<string, string | undefined> = process.env,
  root = process.cwd(),
): { path: string; source: 'env' | 'demo' | 'provisional' } {
  if (env.KUBEPATH_SNAPSHOT) return { path: path.resolve(root, env.KUBEPATH_SNAPSHOT), source: 'env' };
  const demo = path.join(root, 'demo', 'demo-snapshot.json');
  if (existsSync(demo)) return { path: demo, source: 'demo' };
  return { path: path.join(root, 'demo', 'provisional-snapshot.json'), source: 'provisional' };
}
