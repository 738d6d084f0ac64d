import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(repo, 'lib', 'parse', '__fixtures__', 'iptables');
const tmp = mkdtempSync(path.join(tmpdir(), 'kp-parse-cmd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the real CLI entry point as a subprocess. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(repo, 'bin', 'kubepath.mjs'), 'parse', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kubepath parse (subprocess)', () => {
  it('summarises a real kube-proxy capture', () => {
    const file = path.join(fixtures, 'kube-proxy-current-nft-counters.save');
    const r = cli('--iptables-save', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${file}: 3 tables, 60 chains, 127 rules, 11 services (10 KUBE-SVC/SVL chains), family ipv4, backend nft, 0 issues\n`,
    );
    expect(r.stderr).toBe('');
  });

  it('reads ip6tables-save and the old layout', () => {
    const r = cli(
      '--ip6tables-save',
      path.join(fixtures, 'kube-proxy-ipv6-nft-counters.save'),
      '--iptables-save',
      path.join(fixtures, 'kube-proxy-old-layout-nft.save'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /old-layout-nft\.save: 2 tables, 35 chains, 76 rules, 5 services \(4 KUBE-SVC\/SVL chains\), family ipv4/,
    );
    expect(r.stdout).toMatch(
      /ipv6-nft-counters\.save: 3 tables, 34 chains, 50 rules, 4 services \(3 KUBE-SVC\/SVL chains\), family ipv6/,
    );
  });

  it('lenient: exit 0, issues on stderr with line numbers', () => {
    const file = path.join(fixtures, 'mixed-backends-nft-interleaved.save');
    const r = cli('--iptables-save', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/, 2 issues\n$/);
    expect(r.stderr).toContain(`${file}: line 131: error: iptables-nft's "legacy tables present" warning`);
    expect(r.stderr).toContain(`${file}: line 132: error: unrecognised line`);
  });

  it('strict: prints the error with its line and exits 1', () => {
    const file = path.join(tmp, 'truncated.save');
    writeFileSync(
      file,
      '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m comment --comment "unterminated -j ACCEPT\nCOMMIT\n',
    );
    const r = cli('--iptables-save', file, '--strict');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${file}: line 3: unterminated quote at column 36: "-A PREROUTING -m comment --comment \\"unterminated -j ACCEPT"\n`,
    );
  });

  it('--json prints the parse result', () => {
    const r = cli('--iptables-save', path.join(fixtures, 'module-zoo-nft.save'), '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out['iptables-save'].issues).toEqual([]);
    expect(out['iptables-save'].value.tables.filter.chains.INPUT.rules.length).toBeGreaterThan(40);
  });

  it('usage errors exit 2', () => {
    expect(cli().code).toBe(2);
    expect(cli('--iptables-save').code).toBe(2);
    expect(cli('--bogus', 'x').code).toBe(2);
    const missing = cli('--iptables-save', path.join(tmp, 'nope.save'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.save/);
  });
});
