import { describe, expect, it } from 'vitest';
import { parseNft } from '@/lib/parse/nft';
import { parsePriority, parseSetElement } from '@/lib/parse/nft-syntax';
import { ParseError } from '@/lib/parse/parse-result';
import { readFixture } from '@/testkit/parser-fixtures';
import { assertHugeLineHandled, assertRobust } from '@/testkit/parser-fuzz';

// All captured from real nft 1.0.6 by scripts/capture-fixtures/nft-capture.sh.
const plain = readFixture('nft', 'kube-proxy-nftables.txt');
const handles = readFixture('nft', 'kube-proxy-nftables.handles.txt');
const iptNft = readFixture('nft', 'iptables-nft-kube-proxy.txt');
const iptNftMerged = readFixture('nft', 'iptables-nft-kube-proxy.merged.txt');

describe('parseNft: kube-proxy nftables mode', () => {
  const { value, issues } = parseNft(handles);
  const kp = value.tables[0];

  it('reads both tables with no issues', () => {
    expect(issues).toEqual([]);
    expect(value.tables.map((t) => `${t.family} ${t.name}`)).toEqual(['ip kube-proxy', 'ip6 kube-proxy']);
    expect(kp.comment).toBe('rules for kube-proxy');
    expect(kp.managedByIptablesNft).toBeUndefined();
  });

  it('turns named and numeric priorities into numbers', () => {
    const prio = (n: string) => [kp.chains[n].type, kp.chains[n].hook, kp.chains[n].priority, kp.chains[n].policy];
    expect(prio('nat-prerouting')).toEqual(['nat', 'prerouting', -100, 'accept']);
    expect(prio('nat-output')).toEqual(['nat', 'output', -100, 'accept']);
    expect(prio('nat-postrouting')).toEqual(['nat', 'postrouting', 100, 'accept']);
    expect(prio('filter-prerouting-pre-dnat')).toEqual(['filter', 'prerouting', -110, 'accept']); // "dstnat - 10"
    expect(prio('filter-output-pre-dnat')).toEqual(['filter', 'output', -110, 'accept']);
    expect(prio('filter-forward')).toEqual(['filter', 'forward', 0, 'accept']);
    expect(kp.chains.services.hook).toBeUndefined();
  });

  it('keeps chain names with / and ., rule text, handles, comments and line numbers', () => {
    const svc = kp.chains['service-SUSTUHLJ-default/web/tcp/http'];
    expect(svc.rules.map((r) => r.text)).toEqual([
      'ip daddr 10.96.0.20 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade',
      'numgen random mod 2 vmap { 0 : goto endpoint-HGNPOIJ5-default/web/tcp/http__10.244.1.5/8080, 1 : goto endpoint-BZGFZVVG-default/web/tcp/http__10.244.2.7/8080 }',
    ]);
    expect(svc.rules[0].handle).toBe(58);
    expect(handles.split('\n')[svc.rules[1].line - 1]).toBe(svc.rules[1].raw);
    expect(value.tables[1].chains['endpoint-2JKM4NO6-kube-system/dns/udp/dns__fd00.10.244.1..5/53'].rules[1].text).toBe(
      'meta l4proto udp dnat to [fd00:10:244:1::5]:53',
    );
    const check = kp.chains['cluster-ips-check'].rules;
    expect(check[0].comment).toBe('Reject traffic to invalid ports of ClusterIPs');
    expect(check[1].text).toBe('ip daddr 10.96.0.0/16 drop comment "Drop traffic to unallocated ClusterIPs"');
    expect(kp.chains['reject-chain'].rules.map((r) => r.text)).toEqual(['reject']); // chain comment is not a rule
    expect(kp.chains['mark-for-masquerade'].rules[0].text).toBe('meta mark set meta mark | 0x00004000');
  });

  it('reads sets and maps, including elements wrapped over several lines', () => {
    const cips = kp.sets['cluster-ips'];
    expect(cips).toMatchObject({ kind: 'set', type: 'ipv4_addr', comment: 'Active ClusterIPs' });
    expect(cips.elements).toHaveLength(12);
    expect(cips.elements.at(-1)).toEqual({ key: '10.96.0.110' });
    const svcIps = kp.sets['service-ips'];
    expect(svcIps.kind).toBe('map');
    expect(svcIps.type).toBe('ipv4_addr . inet_proto . inet_service : verdict');
    expect(svcIps.elements).toContainEqual({
      key: '10.96.0.20 . tcp . 80',
      value: 'goto service-SUSTUHLJ-default/web/tcp/http',
    });
    expect(kp.sets['no-endpoint-services'].elements).toEqual([
      { key: '10.96.0.50 . tcp . 80', value: 'goto reject-chain', comment: 'default/empty:http' },
    ]);
    expect(kp.sets['no-endpoint-nodeports'].elements).toEqual([]);
    const aff = kp.sets['affinity-XPZKBBNL-default/sticky/tcp/__10.244.1.9/80'];
    expect(aff.flags).toEqual(['dynamic', 'timeout']);
    expect(aff.elements).toEqual([{ key: '192.168.0.50' }]); // live stickiness state, expiry stripped
  });

  it('gives the same model with and without -a (except handles)', () => {
    const a = parseNft(plain).value;
    const strip = (r: typeof value) =>
      JSON.parse(JSON.stringify(r, (k, v) => (k === 'handle' || k === 'raw' || k === 'line' ? undefined : v)));
    expect(strip(a)).toEqual(strip(value));
  });
});

describe('parseNft: iptables-nft view', () => {
  it('flags tables managed by iptables-nft from the (stderr) warning', () => {
    const { value } = parseNft(iptNftMerged);
    expect(value.tables.map((t) => [t.name, t.managedByIptablesNft])).toEqual([
      ['nat', true],
      ['filter', true],
    ]);
    expect(value.tables[0].chains.PREROUTING).toMatchObject({ type: 'nat', hook: 'prerouting', priority: -100 });
    expect(value.tables[0].chains.INPUT.priority).toBe(100);
    expect(value.tables[0].chains['KUBE-NODEPORTS'].rules).toEqual([]);
  });

  it('without stderr, a visible xt statement still proves iptables-nft (nft warns on has_xt_stmts)', () => {
    // nat shows `xt match recent`; filter's xt statements (comment, conntrack) were translated back by nft
    expect(parseNft(iptNft).value.tables.map((t) => [t.name, t.managedByIptablesNft])).toEqual([
      ['nat', true],
      ['filter', undefined],
    ]);
    expect(parseNft(handles).value.tables.every((t) => t.managedByIptablesNft === undefined)).toBe(true);
  });

  it('reports other nft warnings', () => {
    const res = parseNft(
      '# Warning: table ip x was created by a newer version of nftables? Content may be incomplete!\ntable ip x {\n}\n',
    );
    expect(res.issues).toEqual([
      expect.objectContaining({ line: 1, severity: 'warning', reason: expect.stringMatching(/newer version/) }),
    ]);
  });

  it('keeps xt rules nft cannot translate and flags them', () => {
    const { value, issues } = parseNft(iptNft);
    const sep = value.tables[0].chains['KUBE-SEP-AFGSLHOD2HFNCBX4'].rules[1];
    expect(sep.text).toMatch(/xt match recent/);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: sep.line, severity: 'warning' });
    expect(issues[0].reason).toMatch(/"recent"/);
  });

  it('finds the warning glued to a closing brace', () => {
    const glued = `${iptNft.trimEnd()}# Warning: table ip nat is managed by iptables-nft, do not touch!\n`;
    const { value, issues } = parseNft(glued);
    expect(value.tables[0].managedByIptablesNft).toBe(true);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});

describe('nft syntax helpers', () => {
  it.each([
    ['dstnat', -100],
    ['srcnat', 100],
    ['filter', 0],
    ['raw', -300],
    ['mangle', -150],
    ['security', 50],
    ['dstnat - 10', -110],
    ['filter + 10', 10],
    ['-110', -110],
    ['7', 7],
  ])('priority %s = %d', (t, n) => expect(parsePriority(t)).toBe(n));

  it('uses the bridge priority scale for bridge tables', () => {
    expect(parsePriority('dstnat', 'bridge')).toBe(-300);
    expect(parsePriority('out', 'bridge')).toBe(100);
    expect(parsePriority('bogus')).toBeUndefined();
  });

  it('splits map elements, IPv6 keys included', () => {
    expect(parseSetElement('fd00::a . udp . 53 : goto svc-x')).toEqual({
      key: 'fd00::a . udp . 53',
      value: 'goto svc-x',
    });
    expect(parseSetElement('10.0.0.1 timeout 3h expires 2h59m counter packets 1 bytes 60 comment "a : b"')).toEqual({
      key: '10.0.0.1',
      comment: 'a : b',
    });
  });
});

describe('parseNft bad input', () => {
  it('reports truncation, unknown lines and wrong tool output with line numbers', () => {
    const cut = handles.split('\n').slice(0, 9).join('\n'); // stops inside the wrapped elements list
    const res = parseNft(cut);
    expect(res.issues.at(-1)!.reason).toMatch(/unterminated "\{".*truncated/);
    expect(res.issues.at(-1)!.line).toBe(6);
    const ipt = parseNft('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n');
    expect(ipt.issues.map((i) => i.line)).toEqual([1, 2, 3]);
    const inTable = parseNft('table ip t {\n\tbogus thing\n\tset s {\n\t\twhat 1\n\t}\n}\n');
    expect(inTable.issues.map((i) => [i.line, i.reason])).toEqual([
      [2, 'unrecognised line inside table'],
      [4, 'unrecognised set property'],
    ]);
  });

  it('skips table objects it does not model, with a warning', () => {
    const res = parseNft(
      'table inet t {\n\tflowtable ft {\n\t\thook ingress priority filter\n\t\tdevices = { eth0 }\n\t}\n\tchain c {\n\t\taccept\n\t}\n}\n',
    );
    expect(res.issues).toHaveLength(1);
    expect(res.issues[0].severity).toBe('warning');
    expect(res.value.tables[0].chains.c.rules[0].text).toBe('accept');
  });

  it('strict mode throws ParseError naming the line', () => {
    expect(() =>
      parseNft('table ip t {\n\tchain c {\n\t\ttype nat hook output priority wat; policy accept;\n\t}\n}\n', {
        strict: true,
      }),
    ).toThrow(ParseError);
    try {
      parseNft('garbage\n', { strict: true });
      expect.unreachable();
    } catch (e) {
      expect((e as ParseError).line).toBe(1);
    }
  });

  it('survives random mutations', () => assertRobust(parseNft, [handles, iptNftMerged]));
  it('handles a 100 MB line', () => assertHugeLineHandled(parseNft, 'table ip x {'));
});
