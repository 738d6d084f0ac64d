/** `kubepath dns` as a subprocess, on the k8s lists captured from the real v1.20.2 apiserver. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const K8S = path.join(ROOT, 'lib', 'dns', '__fixtures__', 'k8s');
let dir = '';
const f = (n: string) => path.join(dir, n);

function kubepath(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kubepath.mjs'), 'dns', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const cluster = () => [
  '--services',
  path.join(K8S, 'services.json'),
  '--endpointslices',
  path.join(K8S, 'endpointslices.json'),
  '--pods',
  path.join(K8S, 'pods.json'),
  '--upstream-hosts',
  f('upstream.hosts'),
];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kp-dns-cli-'));
  writeFileSync(
    f('pod.conf'),
    'nameserver 10.96.0.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5 single-request-reopen\n',
  );
  writeFileSync(f('upstream.hosts'), '192.0.2.80 www.example.com\n203.0.113.7 api.partner.example\n');
  writeFileSync(f('bad.json'), '{"items": [');
  writeFileSync(
    f('Corefile'),
    '.:53 {\n  kubernetes cluster.local {\n    pods insecure\n  }\n  forward . /etc/resolv.conf\n  loop\n}\n',
  );
  writeFileSync(f('node.conf'), 'nameserver 127.0.0.53\n');
  writeFileSync(f('node-real.conf'), 'nameserver 10.0.0.2\nsearch corp.example.com\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kubepath dns', () => {
  it('--json: the contract shape for a cross-namespace Service name', () => {
    const r = kubepath('--resolv-conf', f('pod.conf'), '--name', 'web.prod', ...cluster(), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(
      j.queries.map((q: { name: string; type: string; rcode: string; via: string }) => [
        q.name,
        q.type,
        q.rcode,
        q.via,
      ]),
    ).toEqual([
      ['web.prod.shop.svc.cluster.local.', 'A', 'NXDOMAIN', 'kubernetes'],
      ['web.prod.shop.svc.cluster.local.', 'AAAA', 'NXDOMAIN', 'kubernetes'],
      ['web.prod.svc.cluster.local.', 'A', 'NOERROR', 'kubernetes'],
      ['web.prod.svc.cluster.local.', 'AAAA', 'NODATA', 'kubernetes'],
    ]);
    expect(j.queries[2].answers).toEqual([
      { name: 'web.prod.svc.cluster.local.', type: 'A', ttl: 30, data: '10.96.12.34' },
    ]);
    expect(j.addresses).toEqual(['10.96.12.34']);
    expect(j.findings.map((x: { id: string }) => x.id)).toContain('ndots-amplification');
    expect(j.nameserverPaths[0]).toMatchObject({ ip: '10.96.0.10', kind: 'kube-dns-clusterip' });
  });

  it('--resolver musl: ignored glibc options are reported; ExternalName is chased', () => {
    const r = kubepath(
      '--resolv-conf',
      f('pod.conf'),
      '--name',
      'ext.prod',
      '--resolver',
      'musl',
      ...cluster(),
      '--json',
    );
    const j = JSON.parse(r.out);
    expect(j.addresses).toEqual(['203.0.113.7']);
    expect(j.findings.find((x: { id: string }) => x.id === 'musl-ignored-option').message).toMatch(
      /single-request-reopen/,
    );
    expect(
      j.queries.find((q: { type: string; rcode: string }) => q.type === 'A' && q.rcode === 'NOERROR').detail,
    ).toMatch(/chased api.partner.example. itself → NOERROR \[forward\]/);
  });

  it('text output explains each step, failing lookups exit 3', () => {
    const r = kubepath('--resolv-conf', f('pod.conf'), '--name', 'nosuch', ...cluster());
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/1\. nosuch\.shop\.svc\.cluster\.local\./);
    expect(r.out).toMatch(/Result: EAI_NONAME\s+\(8 queries\)/);
  });

  it('forward loop through --corefile and --node-resolv-conf', () => {
    const r = kubepath(
      '--resolv-conf',
      f('pod.conf'),
      '--name',
      'www.example.com',
      '--corefile',
      f('Corefile'),
      '--node-resolv-conf',
      f('node.conf'),
      ...cluster(),
      '--json',
    );
    const j = JSON.parse(r.out);
    expect(j.findings.find((x: { id: string }) => x.id === 'forward-loop').severity).toBe('error');
    expect(j.addresses).toEqual([]);
  });

  it('--iptables-save: the query to the kube-dns VIP is traced through kube-proxy rules', () => {
    const rules = path.join(ROOT, 'lib', 'parse', '__fixtures__', 'iptables', 'kube-proxy-current-legacy.save');
    const r = kubepath(
      '--resolv-conf',
      f('pod.conf'),
      '--name',
      'web.prod',
      ...cluster(),
      '--iptables-save',
      rules,
      '--json',
    );
    const j = JSON.parse(r.out);
    const t = j.nameserverPaths[0].trace;
    expect(t.packet).toMatchObject({ dst: '10.96.0.10', port: 53, proto: 'udp' });
    expect(t.outcomes.length).toBeGreaterThan(0);
    expect(t.outcomes.every((o: { verdict: string }) => o.verdict === 'dnat')).toBe(true);
    expect(t.outcomes.every((o: { to: string }) => o.to.endsWith(':53'))).toBe(true);
    const text = kubepath(
      '--resolv-conf',
      f('pod.conf'),
      '--name',
      'web.prod',
      ...cluster(),
      '--iptables-save',
      rules,
    ).out;
    expect(text).toMatch(/Nameserver 10\.96\.0\.10:53\/udp: kube-dns-clusterip → dnat \S+:53/);
  });

  it('--pod derives the resolv.conf kubelet writes (real captured pod, node resolv.conf)', () => {
    const r = kubepath(
      '--pod',
      'prod/web-1',
      '--name',
      'db',
      '--node-resolv-conf',
      f('node-real.conf'),
      ...cluster(),
      '--json',
    );
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(j.config.search).toEqual([
      'prod.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
      'corp.example.com',
    ]);
    expect(j.config.nameservers).toEqual(['10.96.0.10']);
    expect(j.addresses).toEqual(['10.244.3.10', '10.244.3.11']);
    expect(j.findings[0].id).toBe('kubelet-resolv-conf');
    const ghost = kubepath('--pod', 'prod/ghost', '--name', 'db', ...cluster());
    expect(ghost.code).toBe(2);
    expect(ghost.err).toMatch(/pod prod\/ghost is not in the pods list/);
  });

  it.each([
    { args: ['--name', 'x'], code: 2, err: /--resolv-conf FILE \(or --pod NS\/NAME\) is required/ },
    { args: ['--pod', 'prod/web-1', '--name', 'x'], code: 2, err: /--pod needs --pods FILE/ },
    {
      args: ['--resolv-conf', '/nonexistent/resolv.conf', '--name', 'x'],
      code: 2,
      err: /cannot read \/nonexistent\/resolv.conf: ENOENT/,
    },
    {
      args: ['--resolv-conf', 'POD', '--name', 'x', '--resolver', 'bionic'],
      code: 2,
      err: /--resolver must be glibc or musl/,
    },
    { args: ['--resolv-conf', 'POD', '--name', 'x', '--services', 'BAD'], code: 1, err: /bad.json: not JSON/ },
    { args: ['--resolv-conf', 'POD', '--name', 'x', '--frobnicate'], code: 2, err: /unknown option --frobnicate/ },
  ])('usage errors: $err', ({ args, code, err }) => {
    const r = kubepath(...args.map((a) => (a === 'POD' ? f('pod.conf') : a === 'BAD' ? f('bad.json') : a)));
    expect(r.code).toBe(code);
    expect(r.err).toMatch(err);
  });
});
