import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendKnownHost,
  hostFieldMatches,
  keyTypeOf,
  loadKnownHosts,
  parseKnownHosts,
  verifyHostKey,
} from './known-hosts';

const dir = mkdtempSync(path.join(tmpdir(), 'kp-kh-'));
function realKey(name: string): { line: string; blob: Buffer } {
  const f = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', f]);
  const line = readFileSync(`${f}.pub`, 'utf8').trim();
  return { line, blob: Buffer.from(line.split(' ')[1], 'base64') };
}
const a = realKey('a');
const b = realKey('b');

describe('known_hosts', () => {
  it('parses plain, [host]:port, markers, and reports malformed lines with their number', () => {
    const text = [
      `# comment`,
      `10.0.0.1 ${a.line}`,
      `[10.0.0.2]:2222,node2 ${b.line}`,
      `@revoked 10.0.0.9 ${a.line}`,
      `garbage`,
      `h ssh-ed25519 notbase64!`,
    ].join('\n');
    const { entries, issues } = parseKnownHosts(text);
    expect(entries.map((e) => [e.line, e.hosts, e.marker])).toEqual([
      [2, '10.0.0.1', undefined],
      [3, '[10.0.0.2]:2222,node2', undefined],
      [4, '10.0.0.9', '@revoked'],
    ]);
    expect(issues.map((i) => i.line)).toEqual([5, 6]);
    expect(keyTypeOf(a.blob)).toBe('ssh-ed25519');
  });

  it.each([
    { field: '10.0.0.1', name: '10.0.0.1', ok: true },
    { field: '10.0.0.1', name: '[10.0.0.1]:2222', ok: false },
    { field: '[10.0.0.1]:2222', name: '[10.0.0.1]:2222', ok: true },
    { field: '10.0.0.*', name: '10.0.0.7', ok: true },
    { field: '10.0.0.*,!10.0.0.7', name: '10.0.0.7', ok: false },
    { field: 'node?', name: 'node1', ok: true },
    { field: 'NODE1', name: 'node1', ok: true },
  ])('host field $field vs $name → $ok', ({ field, name, ok }) => {
    expect(hostFieldMatches(field, name)).toBe(ok);
  });

  it('matches hashed entries written by the real ssh-keygen -H (port 22 and [host]:port)', () => {
    const f = path.join(dir, 'hashed');
    writeFileSync(f, `10.1.2.3 ${a.line}\n[10.1.2.4]:2222 ${b.line}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', f], { stdio: 'ignore' });
    const entries = loadKnownHosts(f);
    expect(entries.every((e) => e.hosts.startsWith('|1|'))).toBe(true);
    expect(verifyHostKey(entries, '10.1.2.3', 22, a.blob).status).toBe('match');
    expect(verifyHostKey(entries, '10.1.2.4', 2222, b.blob).status).toBe('match');
    expect(verifyHostKey(entries, '10.1.2.4', 22, b.blob).status).toBe('unknown');
    expect(verifyHostKey(entries, '10.1.2.3', 22, b.blob).status).toBe('changed');
  });

  it('@revoked wins over a matching plain entry', () => {
    const { entries } = parseKnownHosts(`h1 ${a.line}\n@revoked h1 ${a.line}\n`);
    expect(verifyHostKey(entries, 'h1', 22, a.blob).status).toBe('revoked');
  });

  it('TOFU append writes a line that verifies afterwards (and ssh-keygen -F finds it)', () => {
    const f = path.join(dir, 'tofu');
    writeFileSync(f, `other ${b.line}`); // no trailing newline: append must not glue lines
    appendKnownHost(f, '10.9.9.9', 2201, a.blob);
    expect(verifyHostKey(loadKnownHosts(f), '10.9.9.9', 2201, a.blob).status).toBe('match');
    expect(execFileSync('ssh-keygen', ['-F', '[10.9.9.9]:2201', '-f', f]).toString()).toContain('ssh-ed25519');
  });
});
