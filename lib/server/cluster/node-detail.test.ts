/** The node view pages its raw captures; read against the served demo snapshot. */
import { describe, expect, it } from 'vitest';
import { served } from '../snapshot/served';
import { CAPTURE_PAGE_LINES, nodeDetail } from './node-detail';

describe('cluster > node detail pages long captures', () => {
  const snap = served().snapshot;
  const node = snap.nodes.find(
    (n) => !n.error && Object.values(n.captures).some((c) => c && c.stdout.split('\n').length > 10),
  )!;
  const [name, cap] = Object.entries(node.captures)
    .filter(([, c]) => c)
    .sort(([, a], [, b]) => b!.stdout.length - a!.stdout.length)[0];
  const total = cap!.stdout.split('\n').length;

  it('shows the first page of each capture by default, with the total line count', () => {
    const d = nodeDetail(served(), node.name)!;
    const v = d.raw.find((r) => r.name === name)!;
    expect(v).toMatchObject({ lines: total, from: 1, to: Math.min(total, CAPTURE_PAGE_LINES), sha256: cap!.sha256 });
    expect(v.text.split('\n')).toHaveLength(v.to);
  });

  it('shows the asked page of the asked capture only, clamped to the capture', () => {
    const from = Math.max(2, total - 3);
    const d = nodeDetail(served(), node.name, { capture: name, from })!;
    const v = d.raw.find((r) => r.name === name)!;
    expect(v).toMatchObject({ from, to: total });
    expect(v.text).toBe(
      cap!.stdout
        .split('\n')
        .slice(from - 1)
        .join('\n'),
    );
    for (const other of d.raw.filter((r) => r.name !== name)) expect(other.from).toBe(1);
    expect(
      nodeDetail(served(), node.name, { capture: name, from: 10 ** 8 })!.raw.find((r) => r.name === name)!.to,
    ).toBe(total);
  });
});
