import { describe, expect, it } from 'vitest';
import { parseIpset } from '@/lib/parse/ipset';
import { ipSetDimensions, matchIpSetMember } from '@/lib/parse/ipset-match';
import { readFixture } from '@/testkit/parser-fixtures';

const { sets } = parseIpset(readFixture('ipset', 'kube-proxy-ipvs.list.txt')).value;

describe('matchIpSetMember on the captured kube-proxy sets', () => {
  it.each([
    ['KUBE-CLUSTER-IP', ['10.96.0.1', 'tcp:443'], true],
    ['KUBE-CLUSTER-IP', ['10.96.0.1', 'udp:443'], false], // protocol is part of the key
    ['KUBE-CLUSTER-IP', ['10.96.0.1', 'tcp:444'], false],
    ['KUBE-CLUSTER-IP', ['10.96.0.10', 'udp:53'], true],
    ['KUBE-CLUSTER-IP', ['10.96.0.20', '80'], true], // bare port = tcp, as in ipset syntax
    ['KUBE-CLUSTER-IP', ['10.96.0.2', 'tcp:80'], false],
    ['KUBE-CLUSTER-IP', ['10.96.0.1'], false], // wrong tuple width
    ['KUBE-LOOP-BACK', ['10.244.1.5', 'tcp:8080', '10.244.1.5'], true], // hairpin
    ['KUBE-LOOP-BACK', ['10.244.1.5', 'tcp:8080', '10.244.1.6'], false],
    ['KUBE-NODE-PORT-TCP', ['30080'], true],
    ['KUBE-NODE-PORT-TCP', ['tcp:31443'], true],
    ['KUBE-NODE-PORT-TCP', ['30081'], false],
    ['KUBE-NODE-PORT-LOCAL-TCP', ['30080'], false],
    ['KUBE-LOAD-BALANCER-SOURCE-CIDR', ['203.0.113.10', 'tcp:80', '198.51.100.77'], true],
    ['KUBE-LOAD-BALANCER-SOURCE-CIDR', ['203.0.113.10', 'tcp:80', '10.9.8.7'], true],
    ['KUBE-LOAD-BALANCER-SOURCE-CIDR', ['203.0.113.10', 'tcp:80', '198.51.101.1'], false],
    ['KUBE-LOAD-BALANCER-SOURCE-IP', ['203.0.113.10', 'tcp:80', '203.0.113.10'], true],
    ['KUBE-IPVS-IPS', ['10.96.0.10'], true],
    ['KUBE-IPVS-IPS', ['10.96.0.11'], false],
    ['KUBE-6-CLUSTER-IP', ['fd00:10:96:0::1', 'tcp:443'], true], // non-canonical v6 text still matches
    ['KUBE-6-CLUSTER-IP', ['10.96.0.1', 'tcp:443'], false], // family mismatch
    ['KUBE-6-LOAD-BALANCER-SOURCE-CID', ['2001:db8::10', 'tcp:80', '2001:db8:1:ff::1'], true],
    ['KUBE-6-LOAD-BALANCER-SOURCE-CID', ['2001:db8::10', 'tcp:80', '2001:db8:2::1'], false],
    ['KUBE-NODE-PORT-SCTP-HASH', ['192.168.0.2', 'sctp:30999'], true],
    ['KUBE-HEALTH-CHECK-NODE-PORT', ['32000'], true],
  ])('%s %j → %s', (name, parts, want) => {
    expect(matchIpSetMember(sets[name], parts)).toBe(want);
  });
});

describe('matchIpSetMember semantics', () => {
  const mk = (type: string, entries: string[], header = 'family inet') =>
    ({
      name: 'T',
      type,
      header,
      family: header.includes('inet6') ? 'inet6' : 'inet',
      members: entries.map((entry, i) => ({ entry, line: i + 1 })),
      line: 1,
    }) as const;

  it('nomatch on the most specific CIDR excludes that sub-net (hash:net)', () => {
    const set = mk('hash:net', ['10.0.0.0/8', '10.1.0.0/16 nomatch']);
    expect(matchIpSetMember({ ...set, members: [...set.members] }, ['10.2.3.4'])).toBe(true);
    expect(matchIpSetMember({ ...set, members: [...set.members] }, ['10.1.3.4'])).toBe(false);
  });

  it('hash:ip with a netmask compares masked addresses', () => {
    const set = mk('hash:ip', ['10.1.2.0'], 'family inet hashsize 1024 maxelem 65536 netmask 24');
    expect(matchIpSetMember({ ...set, members: [...set.members] }, ['10.1.2.77'])).toBe(true);
    expect(matchIpSetMember({ ...set, members: [...set.members] }, ['10.1.3.77'])).toBe(false);
  });

  it('bitmap:port ranges and unknown types', () => {
    expect(
      matchIpSetMember({ ...mk('bitmap:port', ['30000-30010']), members: [{ entry: '30000-30010', line: 1 }] }, [
        '30005',
      ]),
    ).toBe(true);
    expect(matchIpSetMember({ ...mk('list:set', ['A']), members: [{ entry: 'A', line: 1 }] }, ['A'])).toBe(false);
    expect(ipSetDimensions('hash:ip,port,net')).toEqual(['ip', 'port', 'net']);
    expect(ipSetDimensions('list:set')).toBeUndefined();
  });
});
