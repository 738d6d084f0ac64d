import { describe, expect, it } from 'vitest';
import { localAddresses, parseIpAddr } from '@/lib/parse/ip-addr';
import { parseIpAddrJson } from '@/lib/parse/ip-addr-json';
import { ParseError } from '@/lib/parse/parse-result';
import { readFixture } from '@/testkit/parser-fixtures';
import { assertHugeLineHandled, assertRobust } from '@/testkit/parser-fuzz';

// Captured from a node-shaped netns by scripts/capture-fixtures/ip-capture.sh (iproute2 6.1).
const text = readFixture('ip-addr', 'node.txt');
const json = readFixture('ip-addr', 'node-json.txt');

describe('parseIpAddr (text)', () => {
  const { value, issues } = parseIpAddr(text);
  const byName = (n: string) => value.find((i) => i.name === n)!;

  it('reads every interface without issues', () => {
    expect(issues).toEqual([]);
    expect(value.map((i) => `${i.index}:${i.name}${i.link ? `@${i.link}` : ''}`)).toEqual([
      '1:lo',
      '2:eth0@if2',
      '3:cni0',
      '4:vethpeer0@vethab12cd34',
      '5:vethab12cd34@vethpeer0',
      '6:cali1234@if2',
      '7:kube-ipvs0',
    ]);
  });

  it('keeps flags, mtu, state, master, link type and MAC', () => {
    expect(byName('vethab12cd34')).toMatchObject({
      master: 'cni0',
      state: 'LOWERLAYERDOWN',
      mtu: 1500,
      linkType: 'ether',
    });
    expect(byName('kube-ipvs0').flags).toContain('NOARP');
    expect(byName('kube-ipvs0').state).toBe('DOWN');
    expect(byName('lo')).toMatchObject({ linkType: 'loopback', mtu: 65536 });
    expect(byName('cali1234').mac).toBe(text.match(/cali1234[\s\S]*?link\/ether (\S+)/)![1]);
  });

  it('reads IPv4/IPv6 addresses with prefix, scope and label', () => {
    expect(byName('kube-ipvs0').addresses).toEqual([
      { family: 'inet', address: '10.96.0.1', prefixLength: 32, scope: 'global', label: 'kube-ipvs0' },
      { family: 'inet', address: '10.96.0.10', prefixLength: 32, scope: 'global', label: 'kube-ipvs0' },
      { family: 'inet6', address: 'fd00:10:96::1', prefixLength: 128, scope: 'global' },
    ]);
    expect(byName('eth0').addresses.map((a) => `${a.address}/${a.prefixLength} ${a.scope}`)).toEqual([
      '192.168.77.11/24 global',
      'fd00:77::11/64 global',
      expect.stringMatching(/^fe80::.*\/64 link$/),
    ]);
  });

  it('gives the same interfaces as `ip -j addr` of the same netns', () => {
    const j = parseIpAddr(json); // JSON detected
    expect(j.issues).toEqual([]);
    expect(j.value).toEqual(value);
  });

  it('lists local addresses including the ClusterIPs on kube-ipvs0', () => {
    const local = localAddresses(value);
    expect(local).toEqual(
      expect.arrayContaining([
        '127.0.0.1',
        '::1',
        '192.168.77.11',
        '10.244.1.1',
        '10.96.0.1',
        '10.96.0.10',
        'fd00:10:96::1',
      ]),
    );
    expect(local).not.toContain('10.244.1.9'); // the pod's address lives in the pod netns
  });

  it('handles labels, brd, peer, altname and -d detail lines', () => {
    const sample = [
      '2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9001 qdisc mq state UP group default qlen 1000',
      '    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff',
      '    altname enp0s3',
      '    inet 10.0.0.5/24 brd 10.0.0.255 scope global dynamic noprefixroute ens3',
      '       valid_lft 3000sec preferred_lft 3000sec',
      '    inet 10.0.0.6/24 scope global secondary ens3:1',
      '9: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1480 qdisc noqueue state UNKNOWN group default qlen 1000',
      '    link/ipip 0.0.0.0 brd 0.0.0.0',
      '    ipip any remote any local any ttl inherit nopmtudisc',
      '    inet 10.244.5.1 peer 10.244.5.2/32 scope global tunl0',
    ].join('\n');
    const { value: v, issues: iss } = parseIpAddr(sample);
    expect(iss).toEqual([]);
    expect(v[0].addresses).toEqual([
      {
        family: 'inet',
        address: '10.0.0.5',
        prefixLength: 24,
        broadcast: '10.0.0.255',
        scope: 'global',
        label: 'ens3',
      },
      { family: 'inet', address: '10.0.0.6', prefixLength: 24, scope: 'global', label: 'ens3:1' },
    ]);
    expect(v[1]).toMatchObject({ name: 'tunl0', link: 'NONE', linkType: 'ipip' });
    expect(v[1].mac).toBeUndefined();
    expect(v[1].addresses[0]).toMatchObject({ address: '10.244.5.1', prefixLength: 32 });
  });
});

describe('ip addr bad input', () => {
  it('flags non-ip-addr text with line numbers; strict throws ParseError', () => {
    const res = parseIpAddr('Device "cali9" does not exist.\n');
    expect(res.issues).toEqual([expect.objectContaining({ line: 1, raw: 'Device "cali9" does not exist.' })]);
    const bad =
      '1: lo: <LOOPBACK,UP> mtu 65536 state UNKNOWN\n    inet 127.0.0.300/8 scope host lo\n    frobnicate 1\n';
    const r = parseIpAddr(bad);
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [2, 'error'],
      [3, 'warning'],
    ]);
    expect(() => parseIpAddr(bad, { strict: true })).toThrow(ParseError);
  });

  it('reports bad JSON with line and column, and wrong JSON shapes', () => {
    expect(parseIpAddrJson('[{"ifindex": 1,\n "ifname": lo}]').issues[0].reason).toMatch(/line 2 column 12/);
    expect(parseIpAddrJson('{"a": 1}').issues[0].reason).toMatch(/expected a JSON array/);
    expect(parseIpAddrJson('[{"ifname": "x"}]').issues[0].reason).toMatch(/without ifindex/);
  });

  it('survives random mutations', () => {
    assertRobust(parseIpAddr, [text, readFixture('ip-addr', 'node-details-cali.txt')]);
    assertRobust(parseIpAddr, [json], 150);
  });
  it('handles a 100 MB line', () => {
    assertHugeLineHandled(parseIpAddr);
    assertHugeLineHandled(parseIpAddr, '[{"ifindex":');
  });
});
