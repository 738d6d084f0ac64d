/**
 * Reproducibility: re-runs the capture scripts against the real tools in fresh private network
 * namespaces (scratch output directory) and checks that the parsed result equals the committed
 * golden fixtures, modulo what the kernel randomises (ipset hash seeds and order, MAC and
 * link-local addresses, netns names). Needs root; skipped otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpSetList } from '@/lib/model/ipvs';
import type { NetInterface } from '@/lib/model/interfaces';
import { parseIpset } from '@/lib/parse/ipset';
import { parseNft } from '@/lib/parse/nft';
import { parseIpAddr } from '@/lib/parse/ip-addr';
import { parseIpRoute } from '@/lib/parse/ip-route';
import { fixturePath, readFixture } from '@/testkit/parser-fixtures';

const isRoot = process.getuid?.() === 0;
const here = import.meta.dirname;
let dir = '';

const prefixes: string[] = [];

function run(script: string): void {
  const r = spawnSync('bash', [path.join(here, script)], {
    env: { ...process.env, KP_FIXTURE_DIR: dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr}`);
  const p = /netns prefix: (kp[0-9a-f]{4}-)/.exec(r.stderr)?.[1];
  if (p) prefixes.push(p);
}
const fresh = (kind: string, file: string) => readFileSync(path.join(dir, kind, file), 'utf8');
const golden = (kind: string, base: string) => JSON.parse(readFileSync(fixturePath(kind, `${base}.json`), 'utf8'));

describe.skipIf(!isRoot)('capture scripts reproduce the committed fixtures (root: real netns)', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kp-capture-'));
    for (const k of ['ipset', 'nft', 'ip-addr', 'ip-route', 'ipvsadm']) mkdirSync(path.join(dir, k));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ipset: same sets, types, families and members', () => {
    run('ipset-capture.sh');
    // The hash seed (initval) is random per set, and it decides the member order.
    const norm = (l: IpSetList) =>
      Object.values(l.sets).map((s) => ({
        name: s.name,
        type: s.type,
        family: s.family,
        header: s.header.replace(/ initval 0x[0-9a-f]+/, ''),
        members: s.members.map((m) => `${m.entry} ${m.comment ?? ''}`).sort(),
      }));
    for (const base of ['kube-proxy-ipvs.list', 'kube-proxy-ipvs.save']) {
      const now = parseIpset(fresh('ipset', `${base}.txt`));
      expect(now.issues).toEqual([]);
      expect(norm(now.value)).toEqual(norm(golden('ipset', base).value));
    }
  });

  it('nft: identical parse of the kube-proxy nftables table and the iptables-nft view', () => {
    run('nft-capture.sh');
    for (const base of ['kube-proxy-nftables', 'kube-proxy-nftables.handles', 'iptables-nft-kube-proxy.merged']) {
      expect(JSON.parse(JSON.stringify(parseNft(fresh('nft', `${base}.txt`))))).toEqual(golden('nft', base));
    }
  });

  it('ip route: identical routes and identical kernel route-get answers', () => {
    run('ip-capture.sh');
    for (const base of ['table-all', 'main', 'table-all-v6']) {
      expect(JSON.parse(JSON.stringify(parseIpRoute(fresh('ip-route', `${base}.txt`))))).toEqual(
        golden('ip-route', base),
      );
    }
    expect(fresh('ip-route', 'route-get.tsv')).toBe(readFixture('ip-route', 'route-get.tsv'));
  });

  it('ip addr: same interfaces and addresses (MACs, link-local and netns names are random)', () => {
    const norm = (ifs: NetInterface[]) =>
      ifs.map(({ mac: _mac, ...i }) => ({
        ...i,
        addresses: i.addresses.filter((a) => !a.address.startsWith('fe80:')),
      }));
    const now = parseIpAddr(fresh('ip-addr', 'node.txt'));
    expect(now.issues).toEqual([]);
    expect(norm(now.value)).toEqual(norm(golden('ip-addr', 'node').value));
    expect(norm(parseIpAddr(fresh('ip-addr', 'node-json.txt')).value)).toEqual(norm(now.value));
  });

  it('ipvsadm: this kernel still has no IPVS, with the same error text', () => {
    run('ipvsadm-capture.sh');
    expect(fresh('ipvsadm', 'no-ipvs.txt')).toBe(readFixture('ipvsadm', 'no-ipvs.txt'));
  });

  it('leaves none of its namespaces behind', () => {
    expect(prefixes.length).toBeGreaterThanOrEqual(4);
    const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    for (const p of prefixes) expect(left).not.toContain(p);
  });
});
