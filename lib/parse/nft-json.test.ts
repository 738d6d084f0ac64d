import { describe, expect, it } from 'vitest';
import type { NftRuleset } from '@/lib/model/nft';
import { parseNft } from '@/lib/parse/nft';
import { parseNftJson } from '@/lib/parse/nft-json';
import { renderStatement } from '@/lib/parse/nft-json-render';
import { ParseError } from '@/lib/parse/parse-result';
import { readFixture } from '@/testkit/parser-fixtures';
import { assertHugeLineHandled, assertRobust } from '@/testkit/parser-fuzz';

// `nft -j list ruleset` and `nft -a list ruleset` of the same netns (scripts/capture-fixtures/nft-capture.sh).
const json = readFixture('nft', 'kube-proxy-nftables-json.txt');
const text = readFixture('nft', 'kube-proxy-nftables.handles.txt');
const iptJson = readFixture('nft', 'iptables-nft-kube-proxy-json.txt');

/** Drop fields that legitimately differ between the two formats (positions, raw input). */
function comparable(r: NftRuleset): unknown {
  return JSON.parse(JSON.stringify(r, (k, v) => (k === 'line' || k === 'raw' ? undefined : v)));
}

describe('parseNftJson', () => {
  const { value, issues } = parseNftJson(json);

  it('parses with no issues', () => expect(issues).toEqual([]));

  it('renders every rule exactly as nft itself prints it (nft text output is the oracle)', () => {
    const fromText = parseNft(text).value;
    // nft 1.0.6 drops the "dynamic" set flag from its JSON; the text form keeps it.
    const aff = fromText.tables[0].sets['affinity-XPZKBBNL-default/sticky/tcp/__10.244.1.9/80'];
    aff.flags = aff.flags.filter((f) => f !== 'dynamic');
    // ... and it has no table comments either ({"table": {"family", "name", "handle"}} only).
    for (const t of fromText.tables) delete t.comment;
    expect(comparable(value)).toEqual(comparable(fromText));
  });

  it('numbers items by their position in the nftables array', () => {
    const kp = value.tables[0];
    expect(kp.line).toBe(2);
    const rule = kp.chains['nat-prerouting'].rules[0];
    expect(JSON.parse(rule.raw)).toMatchObject({ rule: { chain: 'nat-prerouting', handle: rule.handle } });
  });
});

describe('parseNftJson: iptables-nft ruleset', () => {
  it('keeps xt statements, flags each table once, marks them iptables-nft-managed like nft does', () => {
    const { value, issues } = parseNftJson(iptJson); // stdout only: the xt statements are the evidence
    expect(issues.map((i) => i.line)).toEqual([2, 30]); // the two table items' positions in the array
    expect(issues.every((i) => /iptables extensions \(xt\)/.test(i.reason))).toBe(true);
    expect(value.tables.map((t) => [t.name, t.managedByIptablesNft])).toEqual([
      ['nat', true],
      ['filter', true],
    ]);
    expect(parseNftJson(json).value.tables.every((t) => t.managedByIptablesNft === undefined)).toBe(true);
    expect(value.tables[0].chains['KUBE-SEP-AFGSLHOD2HFNCBX4'].rules[1].text).toBe(
      'meta l4proto tcp xt match comment xt match recent xt match tcp counter packets 0 bytes 0 xt target DNAT',
    );
  });
});

describe('renderStatement', () => {
  const ctx = { unknown: () => undefined };
  it.each([
    [{ snat: { addr: '192.168.0.2', family: 'ip' } }, 'snat ip to 192.168.0.2'],
    [{ dnat: { addr: 'fd00::5', port: 80 } }, 'dnat to [fd00::5]:80'],
    [{ masquerade: null }, 'masquerade'],
    [{ reject: { type: 'tcp reset' } }, 'reject with tcp reset'],
    [{ reject: { type: 'icmp', expr: 'host-unreachable' } }, 'reject with icmp host-unreachable'],
    [
      { match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } },
      'ct state established,related',
    ],
    [{ match: { op: '==', left: { meta: { key: 'mark' } }, right: 16384 } }, 'meta mark 0x00004000'],
    [
      { match: { op: '!=', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: { range: [30000, 32767] } } },
      'tcp dport != 30000-32767',
    ],
    [{ counter: null }, 'counter'],
    [{ accept: null }, 'accept'],
  ])('%j → %s', (stmt, want) => expect(renderStatement(stmt, ctx)).toBe(want));

  it('keeps unknown expressions visible and reports them', () => {
    const res = parseNftJson(
      JSON.stringify({
        nftables: [
          { table: { family: 'ip', name: 't', handle: 1 } },
          { chain: { family: 'ip', table: 't', name: 'c', handle: 1 } },
          { rule: { family: 'ip', table: 't', chain: 'c', handle: 2, expr: [{ quux: { a: 1 } }, { accept: null }] } },
        ],
      }),
    );
    expect(res.value.tables[0].chains.c.rules[0].text).toBe('<json:quux> accept');
    expect(res.issues).toHaveLength(1);
    expect(res.issues[0]).toMatchObject({ line: 3, severity: 'warning' });
  });
});

describe('parseNftJson bad input', () => {
  it('reports invalid JSON with line and column', () => {
    const bad = '{"nftables": [\n  {"table": {"family": "ip", "name": "t"}},\n  {"chain": oops}\n]}';
    const res = parseNftJson(bad);
    expect(res.issues).toHaveLength(1);
    expect(res.issues[0].line).toBe(3);
    expect(res.issues[0].reason).toMatch(/line 3 column \d+/);
    expect(() => parseNftJson(bad, { strict: true })).toThrow(ParseError);
  });

  it('rejects JSON that is not nft output, and text output given by mistake', () => {
    expect(parseNftJson('{"items": []}').issues[0].reason).toMatch(/no top-level "nftables" array/);
    expect(parseNftJson(text).issues[0].reason).toMatch(/invalid JSON at line 1/);
  });

  it('survives random mutations', () => assertRobust(parseNftJson, [json, iptJson], 200));
  it('handles a 100 MB line', () => assertHugeLineHandled(parseNftJson, '{"nftables": ["'));
});

describe('JSON error positions', () => {
  it.each([
    ['{"nftables": [\n  {"table": {}},\n  {"chain": oops}\n]}', 3, 13],
    ['{"nftables": [\n  {"a": 1,}\n]}', 2, 11],
    ['{"nftables": [\n  {"a"\n  : tru }\n]}', 3, 8], // the space after "tru"
  ])('%j → line %d column %d', (text, line, column) => {
    const res = parseNftJson(text);
    expect(res.issues[0].line).toBe(line);
    expect(res.issues[0].reason).toContain(`line ${line} column ${column}`);
  });
});
