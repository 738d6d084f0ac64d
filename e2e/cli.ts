/**
 * Runs the engine's own CLI for the same question the browser asks, so the e2e tests compare the
 * console's accessible outcome list with `kubepath trace --json`, not with hard-coded answers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function servedSnapshotPath(): string {
  if (process.env.KUBEPATH_SNAPSHOT) return path.resolve(process.env.KUBEPATH_SNAPSHOT);
  const demo = path.resolve('demo/demo-snapshot.json');
  return existsSync(demo) ? demo : path.resolve('demo/provisional-snapshot.json');
}

export interface CliOutcome {
  verdict: string;
  to: string | null;
  probability: number;
  masquerade: boolean;
}

export function cliTrace(q: { node: string; src: string; dst: string; port: number; proto: string }): CliOutcome[] {
  const out = execFileSync(
    process.execPath,
    [
      'bin/kubepath.mjs',
      'trace',
      '--snapshot',
      servedSnapshotPath(),
      '--node',
      q.node,
      '--src',
      q.src,
      '--dst',
      q.dst,
      '--port',
      String(q.port),
      '--proto',
      q.proto,
      '--json',
    ],
    { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  const json = JSON.parse(out) as { outcomes: CliOutcome[] };
  return json.outcomes.map(({ verdict, to, probability, masquerade }) => ({ verdict, to, probability, masquerade }));
}

/** Order-independent comparison key, probabilities to 6 decimals. */
export function normalise(xs: CliOutcome[]): string[] {
  return xs.map((o) => `${o.verdict} ${o.to ?? '-'} ${o.probability.toFixed(6)} masq=${o.masquerade}`).sort();
}
