import { describe, expect, it } from 'vitest';
import type { NftRuleset } from '@/lib/model/nft';
import type { Packet } from '@/lib/model/trace';
import { parseNft } from '@/lib/parse/nft';
import { looksLikeNftScript, parseNftScript } from '@/lib/parse/nft-script';
import { ParseError } from '@/lib/parse/parse-result';
import { tracePacket } from '@/lib/trace/trace-packet';
import { readFixture } from '@/testkit/parser-fixtures';
import { assertHugeLineHandled, assertRobust } from '@/testkit/parser-fuzz';

// The script, and what the real nft 1.0.6 printed after `nft -f` of it (`nft list ruleset` in a fresh netns).
const script = readFixture('nft-script', 'kube-proxy-knftables.nft');
const listed = readFixture('nft-script', 'kube-proxy-knftables.listed.txt');

/** What the tracer reads from a ruleset, without the text nft re-prints differently (rule text, lines). */
function shape(r: NftRuleset) {
  return r.tables.map((t) => ({
    table: `${t.family} ${t.name}`,
    comment: t.comment,
    chains: Object.values(t.chains)
      .map((c) => ({
        name: c.name,
        type: c.type,
        hook: c.hook,
        priority: c.priority,
        policy: c.policy,
        rules: c.rules.length,
        comments: c.rules.map((x) => x.comment),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    sets: Object.values(t.sets)
      .map((s) => ({
        name: s.name,
        kind: s.kind,
        type: s.type,
        flags: s.flags,
        comment: s.comment,
        elements: [...s.elements].sort((a, b) => a.key.localeCompare(b.key)),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

function outcomes(nft: NftRuleset, p: Packet) {
  return tracePacket({ node: 'n', nft, proxyMode: 'nftables', localIPs: ['192.168.0.2'] }, p).outcomes.map((o) => ({
    verdict: o.verdict,
    to: o.to,
    probability: o.probability,
    masquerade: o.masquerade,
  }));
}

describe('parseNftScript: a knftables kube-proxy transaction', () => {
  const fromScript = parseNftScript(script);
  const fromKernel = parseNft(listed);

  it('parses with no issues, applying delete/flush in order', () => {
    expect(fromScript.issues).toEqual([]);
    expect(fromKernel.issues).toEqual([]);
    const kp = fromScript.value.tables[0];
    expect(kp.chains['service-STALE000-ns3/old/tcp/p80']).toBeUndefined();
    expect(kp.sets['service-ips'].elements).toEqual([
      { key: '172.30.0.41 . tcp . 80', value: 'goto service-ULMVA6XW-ns1/svc1/tcp/p80' },
    ]);
    expect(kp.sets['no-endpoint-services'].elements).toEqual([
      { key: '172.30.0.42 . tcp . 80', value: 'goto reject-chain', comment: 'ns2/svc2:p80' },
    ]);
  });

  it('gives the same tables, chains, hooks, priorities, sets and elements as the kernel listing of it', () => {
    expect(shape(fromScript.value)).toEqual(shape(fromKernel.value));
  });

  it("keeps every rule's script line and number", () => {
    const lines = script.split('\n');
    const rules = Object.values(fromScript.value.tables[0].chains).flatMap((c) => c.rules);
    expect(rules.length).toBe(28);
    for (const r of rules) {
      expect(lines[r.line - 1]).toBe(r.raw);
      expect(r.raw.endsWith(r.text)).toBe(true);
    }
  });

  it.each<[string, Packet]>([
    ['two endpoints', { src: '10.1.0.5', dst: '172.30.0.41', port: 80, proto: 'tcp' }],
    ['no endpoints', { src: '10.1.0.5', dst: '172.30.0.42', port: 80, proto: 'tcp' }],
    ['unexposed port', { src: '10.1.0.5', dst: '172.30.0.41', port: 81, proto: 'tcp' }],
    ['unallocated ClusterIP', { src: '10.1.0.5', dst: '172.30.0.99', port: 80, proto: 'tcp' }],
  ])('traces like the kernel listing: %s', (_n, p) => {
    const a = outcomes(fromScript.value, p);
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(outcomes(fromKernel.value, p));
  });
});

describe('parseNftScript: commands', () => {
  const base = 'add table ip t\nadd chain ip t c { type filter hook input priority 0 ; policy drop ; }\n';

  it('insert prepends, flush chain empties, wrapped element lists join', () => {
    const r = parseNftScript(
      `${base}add rule ip t c tcp dport 1 accept\ninsert rule ip t c tcp dport 2 accept\nadd map ip t m { type inet_service : verdict ; }\nadd element ip t m {\n  80 : accept,\n  81 : drop\n}\n`,
    );
    expect(r.issues).toEqual([]);
    const t = r.value.tables[0];
    expect(t.chains.c.rules.map((x) => [x.text, x.line])).toEqual([
      ['tcp dport 2 accept', 4],
      ['tcp dport 1 accept', 3],
    ]);
    expect(t.chains.c.policy).toBe('drop');
    expect(t.sets.m.elements.map((e) => `${e.key}:${e.value}`)).toEqual(['80:accept', '81:drop']);
    const f = parseNftScript(`${base}add rule ip t c accept\nflush chain ip t c\nflush ruleset\nadd table inet u\n`);
    expect(f.value.tables.map((x) => x.name)).toEqual(['u']);
  });

  it('reports bad input with its line, never throws', () => {
    const r = parseNftScript(
      `${base}add rule ip t nochain accept\nfrobnicate everything\nadd element ip t nosuch { 1 }\ntable ip x {\nadd rule ip t c numgen random mod 2 vmap { 0 : accept,\n`,
    );
    expect(r.issues.map((i) => [i.line, i.severity, i.reason])).toEqual([
      [3, 'error', 'chain nochain does not exist'],
      [4, 'error', 'expected an nft command ("add rule …", "flush chain …")'],
      [5, 'error', 'set or map nosuch does not exist'],
      [6, 'error', 'a "table … {" block in a command script: mixed forms are not read'],
      [7, 'error', 'unterminated "{" at end of input (truncated script?)'],
    ]);
    expect(r.value.tables[0].chains.c.rules).toEqual([]);
  });

  it('strict mode throws a ParseError naming the line', () => {
    expect(() => parseNftScript(`${base}add rule ip t c\n`, { strict: true })).toThrow(ParseError);
    try {
      parseNftScript(`${base}add map ip t m { type ipv4_addr : verdict ; }\nadd element ip t m { 1.2.3.4 }\n`, {
        strict: true,
      });
    } catch (e) {
      expect((e as ParseError).line).toBe(4);
      expect((e as ParseError).reason).toMatch(/has no " : value"/);
    }
    expect.assertions(3);
  });

  it('survives fuzzed and huge input', () => {
    assertRobust((t, o) => parseNftScript(t, o), [script]);
    assertHugeLineHandled((t, o) => parseNftScript(t, o));
  });
});

describe('looksLikeNftScript', () => {
  it('tells the command form from the listing form by the first statement', () => {
    expect(looksLikeNftScript(script)).toBe(true);
    expect(looksLikeNftScript('\n# x\nflush ruleset\n')).toBe(true);
    expect(looksLikeNftScript(listed)).toBe(false);
    expect(looksLikeNftScript('{"nftables": []}')).toBe(false);
  });
});
