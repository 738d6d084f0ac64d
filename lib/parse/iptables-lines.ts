/**
 * The small line kinds of iptables-save: `:CHAIN POLICY [p:b]` declarations, the `[p:b]`
 * counter prefix of `-c` dumps, and the end-of-table checks run at COMMIT; and the table being
 * parsed, whose chains are rows of numbers until someone reads them.
 */
import type { Chain, Counters, Table, TableName } from '@/lib/model/netfilter';
import type { IssueSink } from '@/lib/parse/parse-result';
import { BUILTIN_CHAINS } from '@/lib/parse/iptables-known';
import { NameFingerprints } from '@/lib/parse/name-fingerprints';

/**
 * Per chain, one row of ROW numbers in TableState.rows. A kube-proxy dump declares ~60k chains;
 * an object, a name string and a run array per chain were most of what the garbage collector
 * copied during the parse, and `kubepath parse` never reads a chain. So a chain is its name's
 * span in the input and its first run of rule lines; a Chain object exists only once
 * `table.chains` is read (iptables-chain-rules.ts).
 */
export const ROW = 8;
/** Row fields: the name is text[NAME_START, NAME_END) (NAME_START -1: see `special`). */
export const NAME_START = 0;
export const NAME_END = 1;
/** Line of the declaration; 0 for a chain only referenced by a rule. */
export const DECL_LINE = 2;
/** The first run of adjacent rule lines: text[RUN_START, RUN_END), RUN_COUNT lines from RUN_LINE. */
export const RUN_START = 3;
export const RUN_END = 4;
export const RUN_LINE = 5;
export const RUN_COUNT = 6;
/** All rule lines of the chain (the first run and `moreRuns`). */
export const TOTAL = 7;

/** A chain read the long way (built-in, counters, odd name, only referenced): its fields as parsed. */
export interface SpecialChain {
  name: string;
  builtin: boolean;
  policy?: 'ACCEPT' | 'DROP';
  counters?: Counters;
}

/** A table being parsed. Its chains are rows (see ROW) until the parse ends; `table.chains` /
 *  `table.chainOrder` are then filled lazily (iptables-chain-rules.ts, iptables-lazy.ts). */
export interface TableState {
  table: Table;
  /** The whole input: chain names and rule lines are spans of it. */
  text: string;
  /** Number of chains, in declaration order. */
  n: number;
  rows: Int32Array;
  /** Chains read the long way, by index. */
  special: Map<number, SpecialChain>;
  /** Runs after the first, per chain index: [start, end, firstLineNo, count, ...] (out-of-order dumps only). */
  moreRuns: Map<number, number[]>;
  /** Name → index, built only when a name must be looked up exactly (chainIndex): a clean
   *  dump is resolved by prediction and fingerprints and never pays for a 60k-entry Map. */
  byName?: Map<string, number>;
  /** Index of the previous rule line's chain, or -1. iptables-save prints the rules chain by
   *  chain in declaration order, so the next chain is usually at cursor + 1. */
  cursor: number;
  /** The name of chain `cursor` ('' when none). */
  cursorName: string;
  /** Jumps to names that were neither built-in targets nor declared chains when seen. */
  unresolved: { target: string; line: number; raw: string }[];
  /** Fingerprints of the declared chain names, asked about jump targets in place (name-fingerprints.ts). */
  declared: NameFingerprints;
  /** Per name length (mod 64), the last jump target found to be declared or built in. */
  okTargets: string[];
}

/** Roughly one chain per this many bytes of a kube-proxy dump: sizes the first allocation. */
const BYTES_PER_CHAIN = 400;

export function newTableState(name: TableName, line: number, text: string): TableState {
  const guess = Math.min(1 << 20, Math.max(64, Math.ceil(text.length / BYTES_PER_CHAIN)));
  return {
    table: { name, line, chains: {}, chainOrder: [] },
    text,
    n: 0,
    rows: new Int32Array(guess * ROW),
    special: new Map(),
    moreRuns: new Map(),
    cursor: -1,
    cursorName: '',
    unresolved: [],
    declared: new NameFingerprints(guess),
    okTargets: new Array<string>(64).fill(''),
  };
}

/** Appends a chain row; returns its index. `nameStart` -1: the chain is `special`. */
function addRow(state: TableState, nameStart: number, nameEnd: number, line: number): number {
  if ((state.n + 1) * ROW > state.rows.length) {
    const grown = new Int32Array(state.rows.length * 2);
    grown.set(state.rows);
    state.rows = grown;
  }
  const i = state.n++;
  const r = i * ROW;
  const rows = state.rows;
  rows[r + NAME_START] = nameStart;
  rows[r + NAME_END] = nameEnd;
  rows[r + DECL_LINE] = line;
  rows[r + RUN_COUNT] = 0;
  rows[r + TOTAL] = 0;
  return i;
}

/** Adds a chain read the long way (in declaration order); returns its index. */
export function addSpecialChain(state: TableState, chain: SpecialChain, line: number): number {
  const i = addRow(state, -1, -1, line);
  state.special.set(i, chain);
  state.byName?.set(chain.name, i);
  state.declared.add(chain.name);
  return i;
}

/** The name of chain i (sliced from the input: call it off the per-line path). */
export function chainName(state: TableState, i: number): string {
  const s = state.rows[i * ROW + NAME_START];
  return s < 0 ? state.special.get(i)!.name : state.text.slice(s, state.rows[i * ROW + NAME_END]);
}

/** True if chain i is named text[s, e) of the input, compared in place. */
export function chainNameIs(state: TableState, i: number, s: number, e: number): boolean {
  const r = i * ROW;
  const a = state.rows[r + NAME_START];
  const { text } = state;
  if (a < 0) {
    const name = state.special.get(i)!.name;
    return name.length === e - s && text.startsWith(name, s);
  }
  const len = state.rows[r + NAME_END] - a;
  if (len !== e - s) return false;
  // From the end: kube-proxy's names share long prefixes and differ in their hash suffix.
  for (let k = len - 1; k >= 0; k--) if (text.charCodeAt(a + k) !== text.charCodeAt(s + k)) return false;
  return true;
}

/** Index of the declared (or referenced) chain of that name, exactly; -1 if none. */
export function chainIndex(state: TableState, name: string): number {
  if (!state.declared.has(name)) return -1; // fingerprints have no false negatives
  if (state.byName === undefined) {
    const byName = new Map<string, number>();
    for (let i = 0; i < state.n; i++) byName.set(chainName(state, i), i);
    state.byName = byName;
  }
  return state.byName.get(name) ?? -1;
}

/** User chains are always declared `[0:0]`: they share one frozen counters object. */
export const ZERO: Counters = Object.freeze({ packets: 0, bytes: 0 });
const USER_ZERO_SUFFIX = ' - [0:0]';
/** `:NAME - [0:0]` with a name that needs no explaining: not starting with '-' or '!', and no
 *  space, tab or control byte (those go to parseChainLine, which words the problem). Sticky:
 *  matched in place, in native code. */
// eslint-disable-next-line no-control-regex
const USER_DECLARATION = /:[^\x00-\x20\x7f!-][^\x00-\x20\x7f]* - \[0:0\]/y;

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

/** True if text[s, e) is a built-in chain name of the table (compared in place: at most five names). */
function isBuiltinSpan(table: TableName, text: string, s: number, e: number): boolean {
  if (e - s > 11) return false; // POSTROUTING is the longest
  for (const b of BUILTIN_CHAINS[table]) if (b.length === e - s && text.startsWith(b, s)) return true;
  return false;
}

/**
 * The form of every user chain, `:NAME - [0:0]`, read in place from `state.text[start, end)`:
 * true when the line was that and is now recorded (no string, no object); false (nothing done)
 * for anything else, which parseChainLine then reads in full.
 */
export function userChainSpan(state: TableState, start: number, end: number, lineNo: number): boolean {
  const { text } = state;
  USER_DECLARATION.lastIndex = start;
  if (!USER_DECLARATION.test(text) || USER_DECLARATION.lastIndex !== end) return false;
  const nameEnd = end - USER_ZERO_SUFFIX.length;
  if (isBuiltinSpan(state.table.name, text, start + 1, nameEnd)) return false;
  if (!state.declared.addSpan(text, start + 1, nameEnd)) return false; // declared twice: explained in full
  const i = addRow(state, start + 1, nameEnd, lineNo);
  state.byName?.set(text.slice(start + 1, nameEnd), i);
  return true;
}

/** Parses `:NAME POLICY [p:b]` into `table`, reporting problems to `sink`. */
export function parseChainLine(state: TableState, line: string, lineNo: number, sink: IssueSink): void {
  const table = state.table;
  // Fast path for the canonical `:NAME POLICY [p:b]` (single spaces, no tabs).
  const s1 = line.indexOf(' ');
  const s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
  const canonical =
    s1 > 1 && s2 > s1 + 1 && s2 < line.length - 1 && line.indexOf(' ', s2 + 1) < 0 && line.indexOf('\t') < 0;
  const parts = canonical
    ? [line.slice(1, s1), line.slice(s1 + 1, s2), line.slice(s2 + 1)]
    : line
        .slice(1)
        .split(/[ \t]/)
        .filter((p) => p.length > 0);
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
  const first = chainIndex(state, name);
  if (first >= 0) {
    const firstLine = state.rows[first * ROW + DECL_LINE];
    sink.add(
      lineNo,
      line,
      firstLine > 0
        ? `chain ${name} declared twice (first at line ${firstLine})`
        : `chain ${name} declared after rules were added to it`,
    );
    return;
  }
  const chain: SpecialChain = { name, builtin: BUILTIN_CHAINS[table.name].has(name) };
  if (chain.builtin) {
    if (policy === 'ACCEPT' || policy === 'DROP') chain.policy = policy;
    else
      sink.add(lineNo, line, `built-in chain ${name} needs policy ACCEPT or DROP, not ${JSON.stringify(policy ?? '')}`);
  } else if (policy !== '-') {
    sink.add(
      lineNo,
      line,
      `user chain ${name} in table ${table.name} cannot have policy ${JSON.stringify(policy ?? '')} (expected "-")`,
    );
  }
  if (counters !== undefined) chain.counters = counters;
  addSpecialChain(state, chain, lineNo);
}

/** Adds a chain that a rule names but no line declared (line 0); returns its index. */
export function addReferencedChain(state: TableState, name: string): number {
  return addSpecialChain(state, { name, builtin: BUILTIN_CHAINS[state.table.name].has(name) }, 0);
}

/**
 * The Chain object of row i, in the key order of the golden JSON (name, builtin, line, rules,
 * policy, counters). `rules` is set by the caller's `initRules` (a lazy accessor or []): it
 * must be the fourth key.
 */
export function newChainObject(state: TableState, i: number, initRules: (chain: Chain) => void): Chain {
  const r = i * ROW;
  const line = state.rows[r + DECL_LINE];
  const s = state.rows[r + NAME_START];
  if (s >= 0) {
    const chain = { name: state.text.slice(s, state.rows[r + NAME_END]), builtin: false, line } as Chain;
    initRules(chain);
    chain.counters = ZERO;
    return chain;
  }
  const sp = state.special.get(i)!;
  const chain = { name: sp.name, builtin: sp.builtin, line } as Chain;
  initRules(chain);
  if (sp.policy !== undefined) chain.policy = sp.policy;
  if (sp.counters !== undefined) chain.counters = sp.counters;
  return chain;
}

/**
 * Checks run when a table is complete: every jump/goto must name a built-in target or a
 * chain of the same table (iptables-restore refuses the whole table otherwise). Forward
 * references are fine, so names unknown when seen are re-checked here.
 */
export function validateTable(state: TableState, sink: IssueSink): void {
  const table = state.table;
  for (const u of state.unresolved) {
    if (chainIndex(state, u.target) >= 0 || BUILTIN_CHAINS[table.name].has(u.target)) continue;
    const looksLikeChain =
      u.target.startsWith('KUBE-') || u.target.includes('-') || u.target !== u.target.toUpperCase();
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
