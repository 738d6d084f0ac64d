/**
 * The small line kinds of iptables-save: `:CHAIN POLICY [p:b]` declarations, the `[p:b]`
 * counter prefix of `-c` dumps, and the end-of-table checks run at COMMIT.
 */
import type { Chain, Counters, Table, TableName } from '@/lib/model/netfilter';
import type { IssueSink } from '@/lib/parse/parse-result';
import { BUILTIN_CHAINS } from '@/lib/parse/iptables-known';
import { NameFingerprints } from '@/lib/parse/name-fingerprints';

/** A table being parsed. Its chains live in `list` (declaration order) until the
 *  parse ends; `table.chains` / `table.chainOrder` are then filled lazily (iptables-lazy.ts). */
export interface TableState {
  table: Table;
  /** Name → chain, built only when a name must be looked up exactly (chainNamed): a clean
   *  dump is resolved by prediction and fingerprints and never pays for a 60k-entry Map. */
  byName?: Map<string, Chain>;
  /** The same chains in declaration order, and per chain its checked rule lines as runs of
   *  adjacent lines [start, end, firstLineNo, count, ...] in the input (built lazily). */
  list: Chain[];
  runs: (number[] | undefined)[];
  /** Index in `list` of the previous rule line's chain, or -1. iptables-save prints the rules
   *  chain by chain in declaration order, so the next chain is usually at cursor + 1. */
  cursor: number;
  /** Chain → index in `list`, built only if a rule names a chain out of order. */
  positions?: Map<Chain, number>;
  /** Jumps to names that were neither built-in targets nor declared chains when seen. */
  unresolved: { target: string; line: number; raw: string }[];
  /** Fingerprints of the declared chain names, asked about jump targets in place (name-fingerprints.ts). */
  declared: NameFingerprints;
  /** Per name length (mod 64), the last jump target found to be declared or built in. */
  okTargets: string[];
}

export function newTableState(name: TableName, line: number): TableState {
  return { table: { name, line, chains: {}, chainOrder: [] }, list: [], runs: [], cursor: -1, unresolved: [], declared: new NameFingerprints(), okTargets: new Array<string>(64).fill('') };
}

/** Adds a chain to the table (in declaration order); `fingerprinted` when its name is already in `declared`. */
export function addChain(state: TableState, chain: Chain, fingerprinted = false): void {
  state.byName?.set(chain.name, chain);
  if (!fingerprinted) state.declared.add(chain.name);
  state.positions?.set(chain, state.list.length);
  state.list.push(chain);
  state.runs.push(undefined);
}

/** The declared (or referenced) chain of that name, exactly. */
export function chainNamed(state: TableState, name: string): Chain | undefined {
  if (!state.declared.has(name)) return undefined; // fingerprints have no false negatives
  if (state.byName === undefined) {
    const byName = new Map<string, Chain>();
    for (const c of state.list) byName.set(c.name, c);
    state.byName = byName;
  }
  return state.byName.get(name);
}

/** User chains are always declared `[0:0]`: they share one frozen counters object. */
const ZERO: Counters = Object.freeze({ packets: 0, bytes: 0 });
const USER_ZERO_SUFFIX = ' - [0:0]';

/** Creates an empty chain; `line` 0 means "only referenced, never declared". */
export function newChain(table: TableName, name: string, line: number): Chain {
  return { name, builtin: BUILTIN_CHAINS[table].has(name), line, rules: [] };
}

/**
 * Reads `[packets:bytes]` starting at `at`. Returns the counters and the index just after
 * `]`, or null if malformed. Counters are 64-bit in the kernel; above 2^53 they lose
 * precision as JS numbers, which is irrelevant for display and tracing.
 */
export function parseCounterPrefix(s: string, at: number): { counters: Counters; end: number } | null {
  if (s.charCodeAt(at) !== 91 /* [ */) return null;
  let i = at + 1;
  const pStart = i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === pStart || i - pStart > 20 || s.charCodeAt(i) !== 58 /* : */) return null;
  const packets = Number(s.slice(pStart, i));
  i++;
  const bStart = i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === bStart || i - bStart > 20 || s.charCodeAt(i) !== 93 /* ] */) return null;
  const bytes = Number(s.slice(bStart, i));
  return { counters: { packets, bytes }, end: i + 1 };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The form of every user chain, `:NAME - [0:0]`, read in place from `text[start, end)`: true
 * when the line was that and is now recorded; false (nothing done) for anything else, which
 * parseChainLine then reads in full.
 */
export function userChainSpan(state: TableState, text: string, start: number, end: number, lineNo: number): boolean {
  const nameEnd = end - USER_ZERO_SUFFIX.length;
  if (nameEnd <= start + 1 || !text.startsWith(USER_ZERO_SUFFIX, nameEnd)) return false;
  const c0 = text.charCodeAt(start + 1);
  if (c0 === 45 /* - */ || c0 === 33 /* ! */) return false;
  for (let i = start + 1; i < nameEnd; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 127) return false; // space, tab, control bytes: the full reader explains
  }
  const name = text.slice(start + 1, nameEnd);
  if (BUILTIN_CHAINS[state.table.name].has(name)) return false;
  if (!state.declared.addSpan(text, start + 1, nameEnd)) return false; // declared twice: explained in full
  addChain(state, { name, builtin: false, line: lineNo, rules: [], counters: ZERO }, true);
  return true;
}

/** Parses `:NAME POLICY [p:b]` into `table`, reporting problems to `sink`. */
export function parseChainLine(state: TableState, line: string, lineNo: number, sink: IssueSink): void {
  const table = state.table;
  // Fast path for the canonical `:NAME POLICY [p:b]` (single spaces, no tabs).
  const s1 = line.indexOf(' ');
  const s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
  const canonical = s1 > 1 && s2 > s1 + 1 && s2 < line.length - 1 && line.indexOf(' ', s2 + 1) < 0 && line.indexOf('\t') < 0;
  const parts = canonical ? [line.slice(1, s1), line.slice(s1 + 1, s2), line.slice(s2 + 1)] : line.slice(1).split(/[ \t]/).filter((p) => p.length > 0);
  const [name, policy, counterText] = parts;
  if (name === undefined) {
    sink.add(lineNo, line, 'chain declaration without a name');
    return;
  }
  if (parts.length > 3) {
    sink.add(lineNo, line, 'unexpected words after the chain counters');
    return;
  }
  if (name.charCodeAt(0) === 45 /* - */ || name === '!') {
    sink.add(lineNo, line, `invalid chain name ${JSON.stringify(name)}`);
    return;
  }
  let counters: Counters | undefined;
  if (counterText !== undefined) {
    const parsed = parseCounterPrefix(counterText, 0);
    if (parsed === null || parsed.end !== counterText.length) {
      sink.add(lineNo, line, 'malformed [packets:bytes] chain counters');
      return;
    }
    counters = parsed.counters;
  }
  const first = chainNamed(state, name);
  if (first !== undefined) {
    sink.add(lineNo, line, first.line > 0 ? `chain ${name} declared twice (first at line ${first.line})` : `chain ${name} declared after rules were added to it`);
    return;
  }
  const chain = newChain(table.name, name, lineNo);
  if (chain.builtin) {
    if (policy === 'ACCEPT' || policy === 'DROP') chain.policy = policy;
    else sink.add(lineNo, line, `built-in chain ${name} needs policy ACCEPT or DROP, not ${JSON.stringify(policy ?? '')}`);
  } else if (policy !== '-') {
    sink.add(lineNo, line, `user chain ${name} in table ${table.name} cannot have policy ${JSON.stringify(policy ?? '')} (expected "-")`);
  }
  if (counters !== undefined) chain.counters = counters;
  addChain(state, chain);
}

/**
 * Checks run when a table is complete: every jump/goto must name a built-in target or a
 * chain of the same table (iptables-restore refuses the whole table otherwise). Forward
 * references are fine, so names unknown when seen are re-checked here.
 */
export function validateTable(state: TableState, sink: IssueSink): void {
  const table = state.table;
  for (const u of state.unresolved) {
    if (chainNamed(state, u.target) !== undefined || BUILTIN_CHAINS[table.name].has(u.target)) continue;
    const looksLikeChain = u.target.startsWith('KUBE-') || u.target.includes('-') || u.target !== u.target.toUpperCase();
    sink.add(
      u.line,
      u.raw,
      looksLikeChain
        ? `target ${u.target} is not a chain declared in table ${table.name}`
        : `unknown target ${u.target} (not a built-in target nor a chain of table ${table.name}; kept)`,
      looksLikeChain ? 'error' : 'warning',
    );
  }
  state.unresolved = [];
}
