import { describe, expect, it } from 'vitest';
import { isIpvsUnavailable, parseIpvsadm, parseIpvsCounter, IPVS_NOT_AVAILABLE } from '@/lib/parse/ipvsadm';
import { ParseError } from '@/lib/parse/parse-result';
import { readFixture } from '@/testkit/parser-fixtures';
import { assertHugeLineHandled, assertRobust } from '@/testkit/parser-fuzz';

const list = readFixture('ipvsadm', 'kube-proxy-list.txt');

describe('parseIpvsadm -Ln', () => {
  const { value, issues } = parseIpvsadm(list);

  it('reads every virtual server with no issues', () => {
    expect(issues).toEqual([]);
    expect(value.version).toBe('1.2.1');
    expect(value.virtualServers.map((v) => `${v.protocol} ${v.address}:${v.port}`)).toEqual([
      'TCP 10.96.0.1:443',
      'TCP 10.96.0.10:53',
      'TCP 10.96.0.20:80',
      'TCP 10.96.0.30:80',
      'TCP 10.96.0.40:80',
      'TCP 192.168.0.2:30080',
      'UDP 10.96.0.10:53',
      'UDP 10.96.0.50:514',
      'SCTP 10.96.0.60:9999',
      'FWM 10:0',
      'TCP fd00:10:96::1:443',
      'FWM 11:0',
    ]);
  });

  it('keeps persistence, mask, scheduler flags and ops', () => {
    const byAddr = (a: string, p: number) => value.virtualServers.find((v) => v.address === a && v.port === p)!;
    expect(byAddr('10.96.0.30', 80).persistent).toBe(10800);
    const sh = byAddr('10.96.0.40', 80);
    expect(sh).toMatchObject({
      scheduler: 'sh',
      persistent: 300,
      mask: '255.255.255.0',
      flags: ['sh-fallback', 'sh-port'],
    });
    expect(sh.realServers).toEqual([]); // no endpoints: IPVS answers port-unreachable
    expect(byAddr('10.96.0.50', 514).flags).toEqual(['ops']);
    expect(byAddr('fd00:10:96::1', 443)).toMatchObject({ persistent: 10800, mask: '64' });
    expect(value.virtualServers.at(-1)!.flags).toEqual(['IPv6']);
  });

  it('reads real servers with forward method, weight (0 = draining) and counts', () => {
    const np = value.virtualServers.find((v) => v.port === 30080)!;
    expect(np.realServers.map((r) => [r.address, r.port, r.forward, r.weight, r.activeConn, r.inactConn])).toEqual([
      ['10.244.1.5', 8080, 'Masq', 1, 0, 0],
      ['10.244.2.7', 8080, 'Masq', 0, 0, 4],
    ]);
    const v6 = value.virtualServers.find((v) => v.address === 'fd00:10:96::1')!;
    expect(v6.realServers[0]).toMatchObject({ address: '2001:db8::10', port: 6443 });
    expect(value.virtualServers.find((v) => v.protocol === 'SCTP')!.realServers[0].forward).toBe('Tunnel');
    expect(np.realServers[1].line).toBe(list.split('\n').indexOf(np.realServers[1].raw) + 1);
  });
});

describe('parseIpvsadm --stats', () => {
  it('expands K/M/G suffixes (decimal, truncated)', () => {
    const { value, issues } = parseIpvsadm(readFixture('ipvsadm', 'kube-proxy-stats.txt'));
    expect(issues).toEqual([]);
    expect(value.virtualServers[0].stats).toEqual({
      conns: 1862,
      inPkts: 830843000,
      outPkts: 1135000000,
      inBytes: 155000000000,
      outBytes: 999,
    });
    expect(value.virtualServers[0].realServers[0].stats?.inPkts).toBe(830843000);
    expect(value.virtualServers[1].realServers[0].stats).toEqual({
      conns: 0,
      inPkts: 12,
      outPkts: 12,
      inBytes: 900,
      outBytes: 1800,
    });
  });

  it('reads --exact numbers unabbreviated', () => {
    const { value, issues } = parseIpvsadm(readFixture('ipvsadm', 'kube-proxy-stats-exact.txt'));
    expect(issues).toEqual([]);
    expect(value.virtualServers[0].stats).toEqual({
      conns: 1862,
      inPkts: 830843512,
      outPkts: 1135489012,
      inBytes: 155212000123,
      outBytes: 999,
    });
  });

  it('parses counters', () => {
    expect(parseIpvsCounter('12')).toBe(12);
    expect(parseIpvsCounter('3T')).toBe(3e12);
    expect(parseIpvsCounter('1.5K')).toBeUndefined();
  });
});

describe('ipvsadm errors', () => {
  it('recognises the real "Can\'t initialize ipvs" output as IPVS unavailable', () => {
    const res = parseIpvsadm(readFixture('ipvsadm', 'no-ipvs.txt'));
    expect(isIpvsUnavailable(res)).toBe(true);
    expect(res.issues).toHaveLength(1);
    expect(res.issues[0]).toMatchObject({ line: 1, reason: IPVS_NOT_AVAILABLE, severity: 'error' });
    expect(res.value.virtualServers).toEqual([]);
    expect(() => parseIpvsadm(readFixture('ipvsadm', 'no-ipvs.txt'), { strict: true })).toThrow(IPVS_NOT_AVAILABLE);
  });

  it('a normal table is not "unavailable"', () => expect(isIpvsUnavailable(parseIpvsadm(list))).toBe(false));

  it('flags bad lines with line number and text; strict throws ParseError', () => {
    const bad =
      'TCP  10.96.0.1:443 rr\n  -> 10.244.1.5:8080 Masq one 0 0\nKUBE-SVC garbage\nTCP  kubernetes.default:https rr\n';
    const res = parseIpvsadm(bad);
    expect(res.issues.map((i) => i.line)).toEqual([2, 3, 4]);
    expect(res.issues[1].raw).toBe('KUBE-SVC garbage');
    expect(res.value.virtualServers[0].realServers).toEqual([]);
    try {
      parseIpvsadm(bad, { strict: true });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).line).toBe(2);
    }
  });

  it('flags iptables-save output given by mistake', () => {
    const res = parseIpvsadm('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n');
    expect(res.issues).toHaveLength(3);
  });

  it('survives random mutations', () => {
    assertRobust(parseIpvsadm, [
      list,
      readFixture('ipvsadm', 'kube-proxy-stats.txt'),
      readFixture('ipvsadm', 'no-ipvs.txt'),
    ]);
  });

  it('handles a 100 MB line', () => assertHugeLineHandled(parseIpvsadm, 'TCP  '));
});
