import { describe, expect, it } from 'vitest';
import { parseIpset, splitMember } from '@/lib/parse/ipset';
import { readFixture } from '@/testkit/parser-fixtures';
import { assertHugeLineHandled, assertRobust } from '@/testkit/parser-fuzz';

// Captured with scripts/capture-fixtures/ipset-capture.sh (real ipset 7.17 in a private netns).
const list = readFixture('ipset', 'kube-proxy-ipvs.list.txt');
const save = readFixture('ipset', 'kube-proxy-ipvs.save.txt');

describe('parseIpset (ipset list)', () => {
  const { value, issues } = parseIpset(list);

  it('reads all kube-proxy IPVS-mode sets without issues', () => {
    expect(issues).toEqual([]);
    expect(Object.keys(value.sets)).toEqual([
      'KUBE-CLUSTER-IP',
      'KUBE-LOOP-BACK',
      'KUBE-NODE-PORT-TCP',
      'KUBE-NODE-PORT-LOCAL-TCP',
      'KUBE-LOAD-BALANCER-SOURCE-CIDR',
      'KUBE-LOAD-BALANCER-SOURCE-IP',
      'KUBE-IPVS-IPS',
      'KUBE-6-CLUSTER-IP',
      'KUBE-6-LOAD-BALANCER-SOURCE-CID',
      'KUBE-NODE-PORT-SCTP-HASH',
      'KUBE-HEALTH-CHECK-NODE-PORT',
    ]);
  });

  it('keeps type, family, header, members, comments and line numbers', () => {
    const cip = value.sets['KUBE-CLUSTER-IP'];
    expect(cip).toMatchObject({ type: 'hash:ip,port', family: 'inet', line: 1 });
    expect(cip.header).toMatch(/^family inet hashsize 1024 maxelem 65536 comment/);
    expect(cip.members.map((m) => m.entry).sort()).toEqual([
      '10.96.0.1,tcp:443',
      '10.96.0.10,tcp:53',
      '10.96.0.10,udp:53',
      '10.96.0.20,tcp:80',
    ]);
    const api = cip.members.find((m) => m.entry === '10.96.0.1,tcp:443')!;
    expect(api.comment).toBe('default/kubernetes:https');
    expect(list.split('\n')[api.line - 1]).toBe('10.96.0.1,tcp:443 comment "default/kubernetes:https"');
    expect(value.sets['KUBE-NODE-PORT-TCP']).toMatchObject({ type: 'bitmap:port', header: 'range 0-65535' });
    expect(value.sets['KUBE-NODE-PORT-TCP'].family).toBeUndefined();
    expect(value.sets['KUBE-NODE-PORT-LOCAL-TCP'].members).toEqual([]);
    expect(value.sets['KUBE-6-CLUSTER-IP'].family).toBe('inet6');
    expect(value.sets['KUBE-LOAD-BALANCER-SOURCE-CIDR'].members.map((m) => m.entry)).toContain(
      '203.0.113.10,tcp:80,198.51.100.0/24',
    );
  });

  it('gives the same sets from `ipset save`', () => {
    const saved = parseIpset(save);
    expect(saved.issues).toEqual([]);
    for (const [name, set] of Object.entries(value.sets)) {
      const s = saved.value.sets[name];
      expect(s.type).toBe(set.type);
      expect(s.family).toBe(set.family);
      expect(s.members.map((m) => [m.entry, m.comment])).toEqual(set.members.map((m) => [m.entry, m.comment]));
    }
  });
});

describe('ipset bad input', () => {
  it('warns when a capture is cut short (entries missing)', () => {
    const cut = list.split('\n').slice(0, 10).join('\n'); // header (8 lines) + 2 of 4 members
    const res = parseIpset(cut);
    expect(res.issues).toHaveLength(1);
    expect(res.issues[0]).toMatchObject({ line: 7, severity: 'warning' });
    expect(res.issues[0].reason).toMatch(/declares 4 entries but lists 2/);
  });

  it('flags text that is not ipset output, with line numbers; strict throws', () => {
    const res = parseIpset('Chain INPUT (policy ACCEPT)\ntarget prot opt source destination\n');
    expect(res.issues.map((i) => i.line)).toEqual([1, 2]);
    expect(() => parseIpset('garbage line\n', { strict: true })).toThrow(/ipset: line 1: .*"garbage line"/);
    const save2 = parseIpset('create A hash:ip family inet\nadd B 10.0.0.1\nbogus\n');
    expect(save2.issues.map((i) => [i.line, i.reason])).toEqual([
      [2, 'add to unknown set B'],
      [3, 'not an ipset save line (expected create/add)'],
    ]);
  });

  it('splits member extensions', () => {
    expect(splitMember('10.0.0.0/8 timeout 30 packets 1 bytes 2 comment "a b" nomatch')).toEqual({
      entry: '10.0.0.0/8 nomatch',
      comment: 'a b',
    });
    expect(splitMember('10.0.0.1 comment "has nomatch inside"')).toEqual({
      entry: '10.0.0.1',
      comment: 'has nomatch inside',
    });
  });

  it('survives random mutations', () => assertRobust(parseIpset, [list, save]));
  it('handles a 100 MB line', () => assertHugeLineHandled(parseIpset));
});
