import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { capture } from '@/testkit/snapshot-fixtures';
import { parseReportJson, replayMatches } from '@/lib/report/report-json';
import { nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
import { tracePacket } from '@/lib/trace/trace-packet';
import { SAMPLE_SECRETS } from '@/testkit/sample-secrets';

const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A real iptables-save -c capture (nft backend) from lib/parse's golden fixtures.
const rules = readFileSync(
  path.join(root, 'lib/parse/__fixtures__/iptables/kube-proxy-current-nft-counters.save'),
  'utf8',
);
const snapshot: ClusterSnapshot = {
  schema: 'kubepath.snapshot/v1',
  cluster: { name: 'fixture', server: `https://admin:${SAMPLE_SECRETS.password}@10.0.0.1:6443` },
  capturedAt: '2026-11-22T00:00:00.000Z',
  nodes: [
    {
      name: 'node-a',
      via: 'file',
      capturedAt: '2026-11-22T00:00:00.000Z',
      proxyMode: 'iptables',
      captures: { 'iptables-save': capture('iptables-save -c', rules) },
    },
    {
      name: 'node-b',
      via: 'ssh root@10.0.0.12:22',
      capturedAt: '2026-11-22T00:00:00.000Z',
      captures: {},
      error: { kind: 'host-key', message: 'host key changed' },
    },
  ],
};
const snapFile = path.join(dir, 'snap.json');
writeFileSync(snapFile, JSON.stringify(snapshot));

function kubepath(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'bin/kubepath.mjs'), ...args], { cwd: root, encoding: 'utf8' });
}
const question = [
  '--snapshot',
  snapFile,
  '--node',
  'node-a',
  '--src',
  '10.244.1.9',
  '--dst',
  '10.96.10.20',
  '--port',
  '80',
];

describe('kubepath report', () => {
  it.each(['md', 'html', 'json'])('writes a %s report that holds the verdict and no secret', (format) => {
    const out = path.join(dir, `r.${format}`);
    const r = kubepath('report', ...question, '--format', format, '--out', out, '--by', 'oncall');
    expect(r.stderr).toContain('wrote');
    expect(r.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('shop/web');
    expect(text).toContain('node-b');
    for (const s of Object.values(SAMPLE_SECRETS)) expect(text).not.toContain(s);
  });

  it('the JSON bundle reopens and replays to exactly the same answer as the CLI trace', () => {
    const out = path.join(dir, 'replay.json');
    expect(kubepath('report', ...question, '--format', 'json', '--out', out).status).toBe(0);
    const report = parseReportJson(readFileSync(out, 'utf8'));
    const { inputs } = nodeTraceInputs(report.replay!.node);
    const q = report.question;
    if (q.kind !== 'trace') throw new Error('expected a trace question');
    const replayed = tracePacket(inputs, q.packet);
    expect(replayMatches(report.trace!, replayed)).toBe(true);
    const cli = JSON.parse(
      execFileSync(process.execPath, [path.join(root, 'bin/kubepath.mjs'), 'trace', ...question, '--json'], {
        cwd: root,
        encoding: 'utf8',
      }),
    );
    expect(cli.outcomes.map((o: { to: string }) => o.to)).toEqual(report.trace!.outcomes.map((o) => o.to));
    expect(report.trace!.outcomes.length).toBeGreaterThan(0);
  });

  it.each([
    ['a bad port', ['--port', '70000'], 2, /not a port/],
    ['an unknown node', ['--node', 'nope'], 2, /not in the snapshot/],
    ['a failed node', ['--node', 'node-b'], 1, /could not be collected \(host-key\)/],
    ['an unknown format', ['--format', 'docx'], 2, /--format must be one of/],
  ])('refuses %s clearly', (_n, override, status, message) => {
    const args = [...question, '--format', 'md', '--out', path.join(dir, 'x.md')];
    for (let i = 0; i < override.length; i += 2) {
      const at = args.indexOf(override[i]);
      args[at + 1] = override[i + 1];
    }
    const r = kubepath('report', ...args);
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(message);
  });

  it('refuses an edited snapshot (sha256 mismatch)', () => {
    const edited = structuredClone(snapshot);
    edited.nodes[0].captures['iptables-save']!.stdout += '\n# tampered\n';
    const f = path.join(dir, 'edited.json');
    writeFileSync(f, JSON.stringify(edited));
    const r = kubepath(
      'report',
      ...question.map((a) => (a === snapFile ? f : a)),
      '--format',
      'md',
      '--out',
      path.join(dir, 'y.md'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/sha256 mismatch/);
  });

  it('the verdict section opens with the question-level sentence (demo: edge-2 → api-metrics on node-2)', () => {
    const out = path.join(dir, 'demo.md');
    const r = kubepath(
      'report',
      '--snapshot',
      path.join(root, 'demo/demo-snapshot.json'),
      '--node',
      'node-2',
      '--src',
      '10.244.2.4',
      '--dst',
      '10.96.0.110',
      '--port',
      '9090',
      '--format',
      'md',
      '--out',
      out,
    );
    expect(r.status).toBe(0);
    const verdict = readFileSync(out, 'utf8').split('## Verdict')[1].split('## ')[0];
    expect(verdict).toContain(
      "✗ dropped on node-2 at filter FORWARD line 21 (host firewall 'block api metrics', not kube-proxy) after DNAT to default/api-1 10.244.2.3:9090 on node-2; the client times out",
    );
  });
});
