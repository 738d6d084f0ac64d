import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot, knownHostsLine, startTestLab, type TestLab } from '@/testkit/ssh-lab';
import { apiserverUnavailable, startTestApiserver, type TestApiserver } from '@/testkit/apiserver';
import { loadSnapshot } from '@/lib/snapshot/io';

const run = promisify(execFile);
const cli = (args: string[]) =>
  run('node', ['bin/kubepath.mjs', 'collect', ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

const why = !isRoot() ? 'not root' : apiserverUnavailable();
if (why) console.warn(`collect-cmd: skipping CLI end-to-end test: ${why}`);

describe('kubepath collect > usage errors', () => {
  it.each([
    [['--ssh', 'root@1.2.3.4'], /--out is required/],
    [['--out', '/tmp/x.json', '--ssh', 'root@bad host'], /invalid SSH target/],
    [
      ['--out', '/tmp/x.json', '--ssh', 'root@h', '--timeout', 'soon', '--no-api'],
      /--timeout must be a positive integer/,
    ],
    [['--out', '/tmp/x.json', '--bogus'], /unknown option --bogus/],
  ])('%j → exit 2', async (args, msg) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });
});

describe.skipIf(!!why)('kubepath collect > SSH + API end to end', () => {
  let lab: TestLab;
  let api: TestApiserver;
  beforeAll(async () => {
    [lab, api] = await Promise.all([startTestLab([{}, {}]), startTestApiserver()]);
  });
  afterAll(async () => {
    await lab?.close();
    await api?.stop();
  });

  it('writes a loadable snapshot, prints per-node progress on stderr, exit 3 when one node fails', async () => {
    const kh = path.join(lab.dir, 'known_hosts');
    writeFileSync(kh, `${knownHostsLine(lab.nodes[0])}\n`); // node 2's key is unknown → refused
    const out = path.join(lab.dir, 'snap.json');
    const r = await cli([
      '--ssh',
      `root@${lab.nodes[0].ip}`,
      '--ssh',
      `root@${lab.nodes[1].ip}:22`,
      '--identity',
      lab.identity,
      '--known-hosts',
      kh,
      '--kubeconfig',
      api.kubeconfigs.admin,
      '--out',
      out,
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`root@${lab.nodes[0].ip}:22: done`);
    expect(r.stderr).toMatch(new RegExp(`root@${lab.nodes[1].ip.replace(/\./g, '\\.')}:22: FAILED: unknown host key`));
    expect(r.stderr).toMatch(/api: \d+ services/);
    const snap = loadSnapshot(out);
    expect(snap.cluster.server).toBe(api.server);
    expect(snap.nodes.map((n) => [n.name, n.error?.kind])).toEqual([
      [lab.nodes[0].name, undefined],
      [lab.nodes[1].ip, 'host-key'],
    ]);
    expect(snap.api!.services.some((s) => s.name === 'kubernetes')).toBe(true);
    // The admin token must never be written into the snapshot.
    expect(readFileSync(out, 'utf8')).not.toContain(api.adminToken);
  });
});
