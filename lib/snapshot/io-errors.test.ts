/**
 * The loader's refusals, as the console and the CLI show them: a tampered capture names the capture
 * and both hashes; truncated JSON names the line and column; a wrong inner shape names the JSON path.
 * Each is a SnapshotError that is also the AppError the console answers with a 503.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpStatus, toAppError } from '@/lib/errors';
import { buildSnapshot } from './build';
import { sha256 } from './hash';
import { loadSnapshot, parseSnapshot, SnapshotError } from './io';
import { API, nodeA } from '../../testkit/snapshot-fixtures';

const snap = () =>
  buildSnapshot({ cluster: { name: 'lab', server: 'https://127.0.0.1:6443' }, nodes: [nodeA()], api: API });

function refusal(text: string, name = 'demo-snapshot.json'): SnapshotError {
  try {
    parseSnapshot(text, name);
  } catch (e) {
    if (e instanceof SnapshotError) return e;
    throw e;
  }
  throw new Error('the loader accepted it');
}

describe('snapshot loader refusals', () => {
  it('one character changed in a capture (sha256 left) names the capture and both hashes', () => {
    const s = snap();
    const cap = s.nodes[0].captures['iptables-save']!;
    const recorded = cap.sha256;
    const i = cap.stdout.indexOf('ACCEPT') >= 0 ? cap.stdout.indexOf('ACCEPT') : 0;
    cap.stdout = cap.stdout.slice(0, i) + (cap.stdout[i] === 'X' ? 'Y' : 'X') + cap.stdout.slice(i + 1);
    const err = refusal(JSON.stringify(s));
    expect(err.problem).toBe('hash-mismatch');
    expect(err.where).toBe('nodes[0].captures["iptables-save"]');
    expect(err.message).toContain(`capture iptables-save of node ${s.nodes[0].name}`);
    expect(err.message).toContain(`records ${recorded}`);
    expect(err.message).toContain(`hashes to ${sha256(cap.stdout)}`);
    expect(recorded).not.toBe(sha256(cap.stdout));
  });

  it('the untouched snapshot loads (the check is not a blanket refusal)', () => {
    expect(() => parseSnapshot(JSON.stringify(snap()), 'ok.json')).not.toThrow();
  });

  it('truncated JSON names the line and column where the text ends', () => {
    const text = JSON.stringify(snap(), null, 2);
    // Cut after a comma, as a copy that stopped half way would: the text ends where a value should start.
    const cut = text.slice(0, text.lastIndexOf(',', text.length / 2) + 1);
    const err = refusal(cut);
    const lines = cut.split('\n');
    expect(err.problem).toBe('invalid-json');
    expect(err.where).toBe(`line ${lines.length} column ${lines.at(-1)!.length + 1}`);
    expect(err.message).toMatch(
      /^demo-snapshot\.json: line \d+ column \d+: invalid JSON \(Unexpected end of JSON input\)/,
    );
  });

  it('a bad token mid-file names its own line and column', () => {
    const lines = JSON.stringify(snap(), null, 2).split('\n');
    lines[3] = lines[3].replace(/:\s*/, ': @');
    const err = refusal(lines.join('\n'));
    expect(err.where).toBe(`line 4 column ${lines[3].indexOf('@') + 1}`);
  });

  it('a wrong inner shape (api.services = [1,2,3]) names the JSON path', () => {
    const s = snap() as unknown as { api: { services: unknown[] } };
    s.api.services = [1, 2, 3];
    const err = refusal(JSON.stringify(s));
    expect(err.problem).toBe('schema');
    expect(err.where).toBe('api.services[0]');
    expect(err.message).toMatch(
      /^demo-snapshot\.json: api\.services\[0\]: not a kubepath snapshot: .*expected object.*\(\+2 more issues\)$/,
    );
  });

  it('is the broken-snapshot AppError the console answers with 503, naming the file by the name it was given', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kp-snap-err-'));
    const file = path.join(dir, 'served.json');
    writeFileSync(file, '{"schema": "kubepath.snapshot/v1",');
    let caught: unknown;
    try {
      loadSnapshot(file, 'served.json');
    } catch (e) {
      caught = e;
    }
    const e = toAppError(caught);
    expect(e).toMatchObject({ kind: 'broken-snapshot', file: 'served.json', problem: 'invalid-json' });
    expect(httpStatus(e)).toBe(503);
    expect(e.message).not.toContain(dir);
    const missing = toAppError(
      (() => {
        try {
          loadSnapshot(path.join(dir, 'gone.json'), 'gone.json');
        } catch (x) {
          return x;
        }
      })(),
    );
    expect(missing).toMatchObject({ kind: 'broken-snapshot', problem: 'unreadable' });
    expect(missing.message).not.toContain(dir);
  });
});
