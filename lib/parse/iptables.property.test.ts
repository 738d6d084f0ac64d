import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  Chain,
  MatchModule,
  NetfilterDump,
  Rule,
  RuleOption,
  RuleTarget,
  Table,
  TableName,
} from '@/lib/model/netfilter';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { ruleLineComment } from '@/lib/parse/iptables-comment';
import { BUILTIN_CHAINS, KNOWN_MATCHES, KNOWN_TARGETS, TABLE_NAMES } from '@/lib/parse/iptables-known';
import { isMaterialized, ruleCount } from '@/lib/parse/iptables-lazy';
import { printIptablesSave } from '@/lib/parse/iptables-print';
import { ParseError } from '@/lib/parse/parse-result';

// ---------- arbitraries: structurally valid dumps ----------

const BASIC_LONG = new Set([
  'source',
  'src',
  'destination',
  'dst',
  'in-interface',
  'out-interface',
  'protocol',
  'fragment',
  'match',
  'jump',
  'goto',
  'set-counters',
]);
/** Printable characters, including the ones that need quoting/escaping. No control characters:
 *  iptables-save never prints them and the parser rejects them. */
const valueChar = fc.constantFrom(...'abcXYZ019 _-./:,!"\'\\#[]*+=%\t~é€'.split(''));
const value = fc.string({ unit: valueChar, maxLength: 12 });
const ident = (first: string, rest: string, max: number) =>
  fc
    .tuple(fc.constantFrom(...first.split('')), fc.string({ unit: fc.constantFrom(...rest.split('')), maxLength: max }))
    .map(([a, b]) => a + b);
const optionName = ident('abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyz0123456789-', 14).filter(
  (n) => !BASIC_LONG.has(n),
);
const userChainName = ident('ABCKUXYZabc_', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.abc', 26);
const counters = fc.record({ packets: fc.nat({ max: 2 ** 40 }), bytes: fc.nat({ max: 2 ** 50 }) });
const negatable = <T>(v: fc.Arbitrary<T>) => fc.record({ value: v, negated: fc.boolean() });
const option: fc.Arbitrary<RuleOption> = fc.record({
  name: optionName,
  negated: fc.boolean(),
  values: fc.array(value, { maxLength: 3 }),
});
const nonEmpty = fc.string({ unit: valueChar, minLength: 1, maxLength: 12 });

function ruleArb(table: TableName, chain: string, chains: string[]): fc.Arbitrary<Rule> {
  const targetNames = fc.constantFrom(...KNOWN_TARGETS, ...chains);
  const target: fc.Arbitrary<RuleTarget> = fc.record({
    kind: fc.constantFrom('jump', 'goto'),
    name: targetNames,
    options: fc.array(option, { maxLength: 3 }),
  });
  const module: fc.Arbitrary<MatchModule> = fc.record({
    name: fc.constantFrom(...KNOWN_MATCHES),
    options: fc.array(option, { maxLength: 4 }),
  });
  return fc
    .record(
      {
        counters,
        source: negatable(nonEmpty),
        destination: negatable(nonEmpty),
        inInterface: negatable(nonEmpty),
        outInterface: negatable(nonEmpty),
        protocol: negatable(fc.constantFrom('tcp', 'udp', 'icmp', 'sctp', 'gre', 'all')),
        fragment: fc.record({ value: fc.constant(true as const), negated: fc.boolean() }),
        implicit: fc.array(option, { minLength: 1, maxLength: 3 }),
        matches: fc.array(module, { maxLength: 4 }),
        target,
      },
      { requiredKeys: ['matches'] },
    )
    .map(({ implicit, matches, ...rest }) => {
      const rule: Rule = { table, chain, line: 0, raw: '', ...rest, matches: [...matches] };
      // An implicit protocol match exists only right after a non-negated -p, before any -m.
      if (implicit && rule.protocol && !rule.protocol.negated && KNOWN_MATCHES.has(rule.protocol.value))
        rule.matches.unshift({ name: rule.protocol.value, options: implicit, implicit: true });
      return rule;
    });
}

function tableArb(name: TableName): fc.Arbitrary<Table> {
  const builtins = [...BUILTIN_CHAINS[name]];
  return fc
    .record({
      builtins: fc.subarray(builtins),
      users: fc.uniqueArray(
        userChainName.filter((n) => !BUILTIN_CHAINS[name].has(n)),
        { maxLength: 4 },
      ),
    })
    .chain(({ builtins: b, users }) => {
      const names = [...b, ...users];
      const chainArbs = names.map((chainName) =>
        fc
          .record(
            {
              policy: fc.constantFrom('ACCEPT' as const, 'DROP' as const),
              counters,
              rules: fc.array(ruleArb(name, chainName, names), { maxLength: 4 }),
            },
            { requiredKeys: ['policy', 'rules'] },
          )
          .map(({ policy, counters: c, rules }): Chain => {
            const builtin = BUILTIN_CHAINS[name].has(chainName);
            const chain: Chain = { name: chainName, builtin, line: 0, rules };
            if (builtin) chain.policy = policy;
            if (c) chain.counters = c;
            return chain;
          }),
      );
      return fc.tuple(...chainArbs).map((chains) => ({
        name,
        line: 0,
        chains: Object.fromEntries(chains.map((c) => [c.name, c])),
        chainOrder: names,
      }));
    });
}

const dumpArb: fc.Arbitrary<NetfilterDump> = fc
  .record({
    tableNames: fc.shuffledSubarray([...TABLE_NAMES]),
    generator: fc.constantFrom(
      undefined,
      '# Generated by iptables-save v1.8.9 (nf_tables) on Sun Nov 22 00:15:08 2026',
      '# Generated by iptables-save v1.8.9 on Sun Nov 22 00:15:08 2026',
    ),
    legacyTablesPresent: fc.constantFrom(undefined, true as const),
  })
  .chain(({ tableNames, generator, legacyTablesPresent }) =>
    fc.tuple(...tableNames.map(tableArb)).map((tables) => {
      const dump: NetfilterDump = { family: 'ipv4', tables: Object.fromEntries(tables.map((t) => [t.name, t])) };
      // iptables-save prints its header once per table: with no tables there is no header.
      if (generator && tables.length > 0) {
        dump.generator = generator;
        dump.backend = generator.includes('(nf_tables)') ? 'nft' : 'legacy';
      }
      if (legacyTablesPresent) dump.legacyTablesPresent = true;
      return dump;
    }),
  );

/** Drops what depends on the text layout (line, raw) and the derived comment shortcut. */
function shape(d: NetfilterDump): unknown {
  return JSON.parse(JSON.stringify(d, (k, v) => (k === 'line' || k === 'raw' || k === 'comment' ? undefined : v)));
}

// ---------- properties ----------

describe('iptables printer/parser > properties', () => {
  it('parse(print(d)) has no issues and the same structure; print is stable', () => {
    fc.assert(
      fc.property(dumpArb, (dump) => {
        const text = printIptablesSave(dump);
        const parsed = parseIptablesSave(text, { strict: true });
        expect(parsed.issues).toEqual([]);
        // IPv6 is inferred from addresses with ':' when there is no header; force ipv4 for comparison.
        expect(shape({ ...parsed.value, family: 'ipv4' })).toEqual(shape(dump));
        expect(printIptablesSave(parsed.value)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('every rule keeps its exact line and line number', () => {
    fc.assert(
      fc.property(dumpArb, (dump) => {
        const text = printIptablesSave(dump);
        const lines = text.split('\n');
        const { value } = parseIptablesSave(text);
        for (const t of Object.values(value.tables)) {
          expect(lines[t!.line - 1]).toBe(`*${t!.name}`);
          for (const c of Object.values(t!.chains)) for (const r of c.rules) expect(lines[r.line - 1]).toBe(r.raw);
        }
      }),
      { numRuns: 100 },
    );
  });
});

// ---------- the summary's comment reader agrees with the rule builder ----------

describe('iptables summary > comments read from raw lines', () => {
  it('ruleLineComment gives every generated rule the comment the builder gives it', () => {
    fc.assert(
      fc.property(dumpArb, (dump) => {
        const text = printIptablesSave(dump);
        const starts = [0];
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
        for (const t of Object.values(parseIptablesSave(text).value.tables)) {
          for (const c of Object.values(t!.chains)) {
            for (const r of c.rules)
              expect(ruleLineComment(text, starts[r.line - 1], starts[r.line - 1] + r.raw.length), r.raw).toBe(
                r.comment,
              );
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---------- mutations: only ParseError (strict) or issues (lenient), never another exception ----------

const fixtureDir = path.join(import.meta.dirname, '__fixtures__', 'iptables');
const fixtureTexts = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.save'))
  .map((f) => readFileSync(path.join(fixtureDir, f), 'utf8'));
const garbage = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '"',
    '\\',
    '!',
    '-',
    '--',
    '[',
    ']',
    ':',
    '*',
    '#',
    ' ',
    '\t',
    '\r',
    '\u0000',
    '\u00ff',
    '\ufffd',
    '\n',
    '-A',
    'COMMIT',
    '*nat',
    ':X -',
  ),
  fc.uint8Array({ maxLength: 6 }).map((b) => String.fromCharCode(...b)),
);
type Mutation = (t: string) => string;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([at, n]): Mutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + t.slice(i + n);
  }),
  fc.tuple(fc.nat(), garbage).map(([at, g]): Mutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + g + t.slice(i);
  }),
  fc.nat().map((at): Mutation => (t) => {
    const ls = t.split('\n');
    const i = at % ls.length;
    ls.splice(i, 0, ls[i]);
    return ls.join('\n');
  }),
  fc.nat().map((at): Mutation => (t) => {
    const ls = t.split('\n');
    ls.splice(at % ls.length, 1);
    return ls.join('\n');
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (t) => {
    const ls = t.split('\n');
    const i = a % ls.length;
    const j = b % ls.length;
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return ls.join('\n');
  }),
  fc.nat().map(
    (at): Mutation =>
      (t) =>
        t.slice(0, at % (t.length + 1)),
  ),
);
const baseText = fc.oneof(dumpArb.map(printIptablesSave), fc.constantFrom(...fixtureTexts));

function checkNeverThrowsOtherErrors(text: string): void {
  const lenient = parseIptablesSave(text);
  const lineCount = text.split('\n').length;
  for (const issue of lenient.issues) {
    expect(issue.line).toBeGreaterThanOrEqual(0);
    expect(issue.line).toBeLessThanOrEqual(lineCount);
    expect(issue.raw.length).toBeLessThanOrEqual(540);
  }
  try {
    parseIptablesSave(text, { strict: true });
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).reason).not.toMatch(/internal parser error/);
    return;
  }
  // Strict succeeded: then lenient must have found no issues at all.
  expect(lenient.issues).toEqual([]);
}

describe('iptables parser > robustness', () => {
  it('random mutations of valid dumps give issues or ParseError, never another exception', () => {
    fc.assert(
      fc.property(baseText, fc.array(mutation, { minLength: 1, maxLength: 4 }), (text, muts) => {
        checkNeverThrowsOtherErrors(muts.reduce((t, m) => m(t), text));
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary strings and bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkNeverThrowsOtherErrors), {
      numRuns: 500,
    });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(garbage, fc.constantFrom('-A INPUT', ' -m ', ' --x ', ' "a b" ', ' ! ', '\n')), {
          maxLength: 40,
        }),
        (parts) => checkNeverThrowsOtherErrors(`*filter\n:INPUT ACCEPT [0:0]\n${parts.join('')}\nCOMMIT\n`),
      ),
      { numRuns: 500 },
    );
  });
});

// ---------- the lazy rule builder: the other half of the parse ----------

/**
 * The eager pass checks every line; the Rule objects are built later, on the first read of
 * `chain.rules` (iptables-lazy.ts), and a disagreement between the two is reported as an
 * `internal:` issue appended after the parse returned (see IptablesParseResult). The properties
 * above never read `rules` of chains a mutation left behind, so this one reads every chain.
 */
function readEveryChain(text: string): void {
  const result = parseIptablesSave(text);
  const lines = text.split('\n');
  const before = [...result.issues];
  let lazy = 0;
  for (const t of Object.values(result.value.tables)) {
    for (const c of Object.values(t!.chains)) {
      if (!isMaterialized(c)) lazy++;
      const announced = ruleCount(c);
      const rules = c.rules;
      // Every line the eager pass accepted for this chain becomes a rule: none is left out.
      expect(rules.length).toBe(announced);
      for (const r of rules) {
        expect(r.chain).toBe(c.name);
        expect(lines[r.line - 1]?.replace(/\r$/, '')).toBe(r.raw);
      }
    }
  }
  expect(result.issues.filter((i) => i.reason.startsWith('internal:'))).toEqual([]);
  // Nothing at all was appended by building the rules.
  expect(result.issues).toEqual(before);
  lazyChainsSeen += lazy;
}
let lazyChainsSeen = 0;

describe('iptables parser > lazy rule builder', () => {
  it("read every chain's rules on mutated input: no `internal:` issue appears and no accepted rule is lost", () => {
    lazyChainsSeen = 0;
    fc.assert(
      fc.property(baseText, fc.array(mutation, { minLength: 0, maxLength: 4 }), (text, muts) => {
        readEveryChain(muts.reduce((t, m) => m(t), text));
      }),
      { numRuns: 500 },
    );
    // The property is about lazily built chains; make sure it saw plenty of them.
    expect(lazyChainsSeen).toBeGreaterThan(500);
  });

  it('the same on the real captures, whole and with lines dropped', () => {
    for (const text of fixtureTexts) readEveryChain(text);
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtureTexts),
        fc.array(mutation, { minLength: 1, maxLength: 2 }),
        (text, muts) => {
          readEveryChain(muts.reduce((t, m) => m(t), text));
        },
      ),
      { numRuns: 100 },
    );
  });
});
