/**
 * The gate every page and data route passes (lib/viewer/gate.ts), on real snapshot files: a
 * tampered copy of the provisional demo is refused as broken-snapshot (503), the intact file
 * passes, a missing token is 401 unauthenticated (not the 503 it used to share a label with).
 */
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorResponse, httpStatus } from '@/lib/errors';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { gate } from './gate';

const demo = path.resolve(import.meta.dirname, '../../demo/provisional-snapshot.json');
const dir = mkdtempSync(path.join(tmpdir(), 'kp-gate-'));
const noHeaders = { get: () => null };
const saved = { snap: process.env.KUBEPATH_SNAPSHOT, auth: process.env.KUBEPATH_AUTH };
afterEach(() => {
  process.env.KUBEPATH_SNAPSHOT = saved.snap;
  process.env.KUBEPATH_AUTH = saved.auth;
});

function serve(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const t = new Date(Date.now() + Math.random() * 1e6);
  utimesSync(file, t, t);
  process.env.KUBEPATH_SNAPSHOT = file;
  return file;
}

describe('gate', () => {
  it('a capture changed after collection is a 503 broken-snapshot naming the file by name, not by path', async () => {
    const snap = JSON.parse(readFileSync(demo, 'utf8')) as ClusterSnapshot;
    const cap = snap.nodes[0].captures['iptables-save']!;
    cap.stdout = cap.stdout.replace('ACCEPT', 'ACCEPX');
    serve('tampered.json', JSON.stringify(snap));
    const g = await gate(noHeaders);
    expect(g.ok).toBe(false);
    if (g.ok) return;
    expect(g.error).toMatchObject({
      kind: 'broken-snapshot',
      file: 'tampered.json',
      problem: 'hash-mismatch',
      where: 'nodes[0].captures["iptables-save"]',
    });
    expect(g.error.message).not.toContain(dir);
    const res = errorResponse(g.error);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { kind: string } }).error.kind).toBe('broken-snapshot');
  });

  it('the same file, intact, passes and hands down the snapshot it looked up', async () => {
    serve('intact.json', readFileSync(demo, 'utf8'));
    const g = await gate(noHeaders);
    expect(g.ok).toBe(true);
    if (g.ok) expect(g.served.file).toBe('intact.json');
  });

  it('with auth on and no token: 401 unauthenticated with the challenge', async () => {
    serve('intact2.json', readFileSync(demo, 'utf8'));
    process.env.KUBEPATH_AUTH = 'kubernetes';
    const g = await gate(noHeaders);
    expect(g.ok).toBe(false);
    if (g.ok) return;
    expect(g.error.kind).toBe('unauthenticated');
    expect(httpStatus(g.error)).toBe(401);
    expect(errorResponse(g.error).headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
