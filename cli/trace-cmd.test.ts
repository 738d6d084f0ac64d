/**
 * `kubepath trace` as a subprocess (node bin/kubepath.mjs): the --json contract, the readable
 * output, usage errors (exit 2), input errors (exit 1, with file and line), and snapshots.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import { FIXTURE_A } from '@/testkit/upstream-cases/upstream-cases';
import type { ClusterSnapshot, RawCapture } from '@/lib/model/snapshot';
import { capture } from '@/testkit/snapshot-fixtures';
import { fixturePath } from '@/testkit/parser-fixtures';

let dir: string;
const f = (name: string): string => path.join(dir, name);

function kp(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/kubepath.mjs', 'trace', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Snapshots are loaded with sha256 verification, so captures carry their real digest.
const cap = (stdout: string, extra: Partial<RawCapture> = {}): RawCapture => capture('x', stdout, extra);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kp-trace-cli-'));
  const rules = buildKubeRules(FIXTURE_A.services);
  writeFileSync(f('a.save'), rules);
  writeFileSync(f('bad.save'), '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j\nCOMMIT\n');
  writeFileSync(
    f('addr.txt'),
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000\n    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n    inet 192.168.0.2/24 brd 192.168.0.255 scope global eth0\n       valid_lft forever preferred_lft forever\n',
  );
  const snap: ClusterSnapshot = {
    schema: 'kubepath.snapshot/v1',
    cluster: { name: 'test' },
    capturedAt: '2026-11-22T00:00:00Z',
    nodes: [
      {
        name: 'test-node',
        via: 'file',
        capturedAt: '2026-11-22T00:00:00Z',
        captures: { 'iptables-save': cap(rules), 'ip-addr': cap('inet 192.168.0.2/24 scope global eth0') },
      },
      {
        name: 'broken',
        via: 'ssh root@10.0.0.9:22',
        capturedAt: '2026-11-22T00:00:00Z',
        captures: {},
        error: { kind: 'unreachable', message: 'connect ECONNREFUSED 10.0.0.9:22' },
      },
    ],
  };
  writeFileSync(f('snap.json'), JSON.stringify(snap));
  writeFileSync(f('snap1.json'), JSON.stringify({ ...snap, nodes: [snap.nodes[0]] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kubepath trace (subprocess)', () => {
  it('--json prints the outcomes contract', () => {
    const r = kp(
      '--iptables-save',
      f('a.save'),
      '--local-ip',
      '192.168.0.2',
      '--src',
      '10.0.0.2',
      '--dst',
      '172.30.0.44',
      '--port',
      '80',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.mode).toBe('iptables');
    expect(
      j.outcomes.map((o: { verdict: string; to: string; probability: number; masquerade: boolean }) => [
        o.verdict,
        o.to,
        o.probability,
        o.masquerade,
      ]),
    ).toEqual([
      ['dnat', '10.180.0.4:80', 0.5, false],
      ['dnat', '10.180.0.5:80', 0.5, false],
    ]);
    expect(j.outcomes[0].steps.length).toBeGreaterThan(3);
    expect(Object.keys(j.outcomes[0].steps[1])).toEqual(
      expect.arrayContaining(['table', 'chain', 'line', 'raw', 'effect', 'why']),
    );
  });

  it('readable output explains each outcome', () => {
    const r = kp(
      '--iptables-save',
      f('a.save'),
      '--local-ip',
      '192.168.0.2',
      '--src',
      '203.0.113.2',
      '--dst',
      '192.168.99.22',
      '--port',
      '80',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('DROP — silently discarded');
    expect(r.out).toContain('has no local endpoints');
    expect(r.out).toMatch(/line \d+/);
  });

  it('--compat reproduces upstream output strings', () => {
    const r = kp(
      '--iptables-save',
      f('a.save'),
      '--local-ip',
      '192.168.0.2',
      '--src',
      '10.0.0.2',
      '--dst',
      '172.30.0.44',
      '--port',
      '80',
      '--json',
      '--compat',
    );
    expect(JSON.parse(r.out).notes[0]).toBe('upstream-compat output: "10.180.0.4:80, 10.180.0.5:80" masquerade=false');
  });

  it('--ip-addr makes the node address local (node-originated path)', () => {
    const r = kp(
      '--iptables-save',
      f('a.save'),
      '--ip-addr',
      f('addr.txt'),
      '--src',
      '192.168.0.2',
      '--dst',
      '192.168.99.22',
      '--port',
      '80',
      '--json',
    );
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out).outcomes;
    expect(o.map((x: { to: string; masquerade: boolean; path: string }) => [x.to, x.masquerade, x.path])).toEqual([
      ['10.180.0.2:80', true, 'output'],
    ]);
  });

  it.each([
    [['--src', '10.0.0', '--dst', '172.30.0.41', '--port', '80'], /--src "10.0.0" is not an IPv4 or IPv6 address/],
    [['--src', '10.0.0.2', '--dst', '172.30.0.41', '--port', '70000'], /--port "70000" is not a port/],
    [
      ['--src', '10.0.0.2', '--dst', '172.30.0.41', '--port', '80', '--proto', 'icmp'],
      /--proto "icmp" must be tcp, udp or sctp/,
    ],
    [['--src', '10.0.0.2', '--dst', 'fd00::1', '--port', '80'], /same IP family/],
    [['--src', '10.0.0.2', '--dst', '172.30.0.41'], /--port is required/],
    [['--src', '10.0.0.2', '--dst', '172.30.0.41', '--port', '80', '--bogus', '1'], /unknown option --bogus/],
  ])('usage error %j → exit 2', (args, msg) => {
    const r = kp('--iptables-save', f('a.save'), ...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg as RegExp);
  });

  it('--iptables-save is required without --nft / --snapshot', () => {
    const r = kp('--src', '10.0.0.2', '--dst', '172.30.0.41', '--port', '80');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--iptables-save FILE is required');
  });

  it('--nft reads an `nft -f` script (knftables form) and traces it as its kernel listing', () => {
    const script = fixturePath('nft-script', 'kube-proxy-knftables.nft');
    const listed = fixturePath('nft-script', 'kube-proxy-knftables.listed.txt');
    const args = ['--local-ip', '192.168.0.2', '--src', '10.1.0.5', '--dst', '172.30.0.41', '--port', '80', '--json'];
    const a = kp('--nft', script, ...args);
    const b = kp('--nft', listed, ...args);
    expect(a.code, a.err).toBe(0);
    const pick = (out: string) =>
      JSON.parse(out).outcomes.map((o: { verdict: string; to: string; probability: number; masquerade: boolean }) => [
        o.verdict,
        o.to,
        o.probability,
        o.masquerade,
      ]);
    expect(pick(a.out)).toEqual([
      ['dnat', '10.180.0.1:80', 0.5, false],
      ['dnat', '10.180.0.2:80', 0.5, false],
    ]); // 10.1.0.5 is inside the script's 10.0.0.0/8
    expect(pick(a.out)).toEqual(pick(b.out));
    // Rule steps name the script's own lines.
    expect(JSON.parse(a.out).outcomes[0].steps.some((s: { line: number; rule?: string }) => s.line === 55)).toBe(true);
    writeFileSync(f('bad.nft'), 'add table ip t\nadd rule ip t nochain accept\n');
    const bad = kp('--nft', f('bad.nft'), ...args);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`${f('bad.nft')}: line 2: chain nochain does not exist`);
  });

  it('an unreadable file is exit 1, naming it', () => {
    const r = kp('--iptables-save', f('missing.save'), '--src', '10.0.0.2', '--dst', '172.30.0.41', '--port', '80');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`cannot read ${f('missing.save')}: ENOENT`);
  });

  it('a dump with a parse error is exit 1 with file, line number and line; --lenient traces anyway', () => {
    const r = kp('--iptables-save', f('bad.save'), '--src', '10.0.0.2', '--dst', '172.30.0.41', '--port', '80');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${f('bad.save')}: line 3:`);
    expect(r.err).toContain('-A PREROUTING -j');
    const l = kp(
      '--iptables-save',
      f('bad.save'),
      '--src',
      '10.0.0.2',
      '--dst',
      '172.30.0.41',
      '--port',
      '80',
      '--lenient',
      '--json',
    );
    expect(l.code).toBe(0);
    expect(JSON.parse(l.out).warnings.join('\n')).toContain('line 3');
  });

  it('--snapshot: one node needs no --node; several do; unknown and failed nodes are clear errors', () => {
    const ok = kp('--snapshot', f('snap1.json'), '--src', '10.0.0.2', '--dst', '172.30.0.41', '--port', '80', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({
      node: 'test-node',
      outcomes: [{ verdict: 'dnat', to: '10.180.0.1:80' }],
    });
    const many = kp('--snapshot', f('snap.json'), '--src', '10.0.0.2', '--dst', '172.30.0.41', '--port', '80');
    expect(many.code).toBe(2);
    expect(many.err).toContain('holds 2 nodes (test-node, broken): choose one with --node');
    const unknown = kp(
      '--snapshot',
      f('snap.json'),
      '--node',
      'nope',
      '--src',
      '10.0.0.2',
      '--dst',
      '172.30.0.41',
      '--port',
      '80',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('node "nope" is not in the snapshot');
    const broken = kp(
      '--snapshot',
      f('snap.json'),
      '--node',
      'broken',
      '--src',
      '10.0.0.2',
      '--dst',
      '172.30.0.41',
      '--port',
      '80',
    );
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('node broken could not be collected (unreachable): connect ECONNREFUSED');
  });

  it('--json adds answer and sentence per outcome, and a one-node path, to the per-node form', () => {
    const r = kp(
      '--iptables-save',
      f('a.save'),
      '--local-ip',
      '192.168.0.2',
      '--src',
      '10.0.0.2',
      '--dst',
      '172.30.0.44',
      '--port',
      '80',
      '--json',
    );
    const j = JSON.parse(r.out);
    expect(j.outcomes.map((o: { answer: string }) => o.answer)).toEqual(['delivered', 'delivered']);
    expect(j.outcomes[0].sentence).toMatch(
      /^✓ leaves .* after DNAT .*ns4\/svc4:p80.*; only this node's captures were given/,
    );
    expect(j.outcomes[0].sentence).toContain('(1/2 (50.0%) of new connections)');
    expect(j.path).toHaveLength(2); // two DNAT branches on the one node: a hop each
    expect(
      j.path.every((h: { node: string; collected: boolean; steps: unknown[] }) => h.collected && h.steps.length > 3),
    ).toBe(true);
    // Old fields keep their order and values: answer/sentence/detail only come after them.
    expect(Object.keys(j.outcomes[0]).slice(0, 5)).toEqual(['verdict', 'to', 'probability', 'masquerade', 'steps']);
  });

  it('per-node form: a ClusterIP port kube-proxy does not expose is unanswered, not a green ACCEPT', () => {
    const r = kp(
      '--iptables-save',
      f('a.save'),
      '--local-ip',
      '192.168.0.2',
      '--src',
      '10.0.0.2',
      '--dst',
      '172.30.0.44',
      '--port',
      '81',
      '--json',
    );
    const o = JSON.parse(r.out).outcomes;
    expect(
      o.map((x: { verdict: string; answer: string; detail: { reason: string } }) => [
        x.verdict,
        x.answer,
        x.detail.reason,
      ]),
    ).toEqual([['accept', 'unanswered', 'unexposed-port']]);
  });

  it("--snapshot with a pod source traces on the pod's node and follows the path (demo: edge-2 → api-metrics)", () => {
    const r = kp(
      '--snapshot',
      'demo/demo-snapshot.json',
      '--src',
      'pod:default/edge-2',
      '--dst',
      '10.96.0.110',
      '--port',
      '9090',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.node).toBe('node-2');
    expect(j.path.map((h: { node: string }) => h.node)).toEqual(['node-2']);
    expect(j.outcomes).toHaveLength(1);
    expect(j.outcomes[0]).toMatchObject({
      verdict: 'drop',
      answer: 'dropped',
      detail: {
        reason: 'rule-drop',
        node: 'node-2',
        rule: { table: 'filter', chain: 'FORWARD', line: 21, owner: 'host-firewall', name: 'block api metrics' },
        pod: { namespace: 'default', name: 'api-1', node: 'node-2', ip: '10.244.2.3', port: 9090, exists: true },
      },
    });
    expect(j.outcomes[0].sentence).toContain(
      "✗ dropped on node-2 at filter FORWARD line 21 (host firewall 'block api metrics', not kube-proxy) after DNAT to default/api-1 10.244.2.3:9090 on node-2; the client times out",
    );
    expect(j.warnings.join('\n')).not.toContain('what-if');
  });

  it("--snapshot: a --node other than the pod's is a what-if, and the path crosses to the pod's node", () => {
    const r = kp(
      '--snapshot',
      'demo/demo-snapshot.json',
      '--src',
      'pod:default/edge-2',
      '--node',
      'node-1',
      '--dst',
      '10.96.0.110',
      '--port',
      '9090',
      '--json',
    );
    const j = JSON.parse(r.out);
    expect(j.warnings).toContain('what-if: edge-2 runs on node-2; simulating node-1');
    expect(j.path.map((h: { node: string }) => h.node)).toEqual(['node-1', 'node-2']);
    expect(j.path[1].arrives).toMatchObject({ dst: '10.244.2.3', port: 9090 });
    expect(j.outcomes[0]).toMatchObject({
      verdict: 'dnat',
      to: '10.244.2.3:9090',
      answer: 'dropped',
      detail: { node: 'node-2', nodes: ['node-1', 'node-2'] },
    });
    const text = kp(
      '--snapshot',
      'demo/demo-snapshot.json',
      '--src',
      'pod:default/edge-2',
      '--node',
      'node-1',
      '--dst',
      '10.96.0.110',
      '--port',
      '9090',
    );
    expect(text.out.split('\n')[0]).toBe('!! what-if: edge-2 runs on node-2; simulating node-1');
    // The readable form walks node-2's rules too, with the packet as it arrives there.
    const further = text.out.slice(text.out.indexOf('Further along the path:'));
    expect(further).toContain('── node-2 — outcome [1]');
    expect(further).toContain('arrives from node-1 (dev eth0 via 172.25.70.12): tcp 10.244.2.4:any → 10.244.2.3:9090');
    expect(further).toMatch(/drop +filter FORWARD \(line 21\)/);
  });

  it('--snapshot: a node source works on the IPVS node (its address from its own ip addr)', () => {
    const r = kp(
      '--snapshot',
      'demo/demo-snapshot.json',
      '--src',
      'node:node-3-ipvs',
      '--dst',
      '10.96.0.100',
      '--port',
      '80',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.packet.src).toBe('172.25.70.13');
    expect(j.mode).toBe('ipvs');
    expect(j.path[0].node).toBe('node-3-ipvs');
    expect(j.outcomes.length).toBeGreaterThan(0);
    // node-3-ipvs's captured routes reach no pod network: said, not painted as delivered.
    for (const o of j.outcomes) expect(o.answer).not.toBe('delivered');
  });

  it('--snapshot: an unknown pod is a usage error', () => {
    const r = kp(
      '--snapshot',
      'demo/demo-snapshot.json',
      '--src',
      'pod:default/nope',
      '--dst',
      '10.96.0.110',
      '--port',
      '9090',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown pod "default/nope"');
  });
});
