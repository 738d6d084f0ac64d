/**
 * Rule lines, split in two: `recordRuleLine` (eager, every line) checks the syntax and files
 * the line's span under its chain's row; `finalizeTables` makes each table's chains, and each
 * chain's `rules`, build lazily from those spans with the full parser (parseRuleWords). Errors
 * are therefore all reported by the eager pass, in line order, and strict mode still throws
 * at the first one.
 */
import type { Chain, Rule, Table } from '@/lib/model/netfilter';
import type { IssueSink } from '@/lib/parse/parse-result';
import { KNOWN_TARGETS } from '@/lib/parse/iptables-known';
import type { TableState } from '@/lib/parse/iptables-lines';
import {
  addReferencedChain,
  chainIndex,
  chainName,
  chainNameIs,
  newChainObject,
  parseCounterPrefix,
  ROW,
  RUN_COUNT,
  RUN_END,
  RUN_LINE,
  RUN_START,
  TOTAL,
} from '@/lib/parse/iptables-lines';
import { makeChainsLazy, sharedLazyRules } from '@/lib/parse/iptables-lazy';
import type { RuleCaches } from '@/lib/parse/iptables-rule';
import { newRule, newRuleCaches, parseRuleWords } from '@/lib/parse/iptables-rule';
import type { RuleCheck } from '@/lib/parse/iptables-validate';
import { checkRule } from '@/lib/parse/iptables-validate';
import { fastCheckRule } from '@/lib/parse/iptables-fast-line';
import type { TokenBuffer } from '@/lib/parse/tokenize';
import { newTokenBuffer, tokenizeInto } from '@/lib/parse/tokenize';

/** How many declared chains after the previous rule's chain are tried before a Map lookup. */
const LOOKAHEAD = 4;

/**
 * Checks the rule line `text[start, end)` and records its position under its chain; returns
 * the check, or null after an issue. The line is only sliced out of `text` for issues, so a
 * clean dump costs no string and no object per rule (nor per chain) until a chain is read.
 */
export function recordRuleLine(
  state: TableState,
  text: string,
  start: number,
  end: number,
  lineNo: number,
  sink: IssueSink,
  needFamily = true,
): RuleCheck | null {
  let from = start;
  if (text.charCodeAt(start) === 91 /* [ */) {
    const prefix = parseCounterPrefix(text, start);
    if (prefix === null || prefix.end > end) {
      sink.add(lineNo, text.slice(start, end), 'malformed [packets:bytes] counter prefix');
      return null;
    }
    from = prefix.end;
  }
  let index: number;
  const fast = fastCheckRule(text, from, end, needFamily);
  let check: RuleCheck;
  if (fast !== null) {
    check = fast;
    // The fast path leaves the chain as a span of the text: found by comparison, sliced only when not predicted.
    // The shape allows leading blanks before `-A `; iptables-save writes none.
    const nameStart = text.charCodeAt(from) === 45 /* - */ ? from + 3 : text.indexOf('-A ', from) + 3;
    let nameEnd = text.indexOf(' ', nameStart);
    if (nameEnd < 0 || nameEnd > end) nameEnd = end;
    index = predictChain(state, nameStart, nameEnd);
    if (index < 0) {
      check.chain = text.slice(nameStart, nameEnd);
      index = chainIndex(state, check.chain);
    }
  } else {
    check = checkRule(text, from, end, start, '');
    if (check.binary) {
      sink.add(lineNo, text.slice(start, end), 'binary data (control characters) in line; ignored');
      return null;
    }
    if (check.error !== undefined) {
      sink.add(lineNo, text.slice(start, end), check.error);
      return null;
    }
    if (check.unknownModules !== undefined) {
      for (const m of check.unknownModules)
        sink.add(
          lineNo,
          text.slice(start, end),
          `unknown match module "${m}" (kept; the tracer may not evaluate it)`,
          'warning',
        );
    }
    index = state.cursor >= 0 && state.cursorName === check.chain ? state.cursor : chainIndex(state, check.chain);
  }
  if (index < 0) {
    sink.add(
      lineNo,
      text.slice(start, end),
      `rule in chain ${check.chain}, which is not declared in table ${state.table.name}`,
    );
    index = addReferencedChain(state, check.chain);
  }
  if (state.cursor !== index) {
    state.cursor = index;
    state.cursorName = chainName(state, index);
  }
  // A Map lookup among 60k chain names costs ~1 µs of scattered reads. Built-in targets repeat (DNAT,
  // RETURN, ACCEPT): the last one per name length is compared in place; chains are found by fingerprint.
  const t = check.target;
  if (t !== undefined) checkTarget(state, t, lineNo, text, start, end);
  else if (fast !== null && fast.targetStart >= 0) {
    const len = fast.targetEnd - fast.targetStart;
    const hot = state.okTargets[len & 63];
    if (hot.length !== len || !text.startsWith(hot, fast.targetStart)) {
      if (!state.declared.hasSpan(text, fast.targetStart, fast.targetEnd))
        checkTarget(state, text.slice(fast.targetStart, fast.targetEnd), lineNo, text, start, end);
      else if (hot === '') state.okTargets[len & 63] = text.slice(fast.targetStart, fast.targetEnd); // the first chain of that length (KUBE-MARK-MASQ...)
    }
  }
  addToRun(state, index, start, end, lineNo);
  return check;
}

/**
 * Files the line under chain `index` as part of a run of adjacent lines. iptables-save writes a
 * chain's rules one after another, so a chain is one run whatever its length; further runs
 * (hand-edited or merged dumps) go to `moreRuns` as [start, end, firstLineNo, count, ...].
 */
function addToRun(state: TableState, index: number, start: number, end: number, lineNo: number): void {
  const rows = state.rows;
  const r = index * ROW;
  rows[r + TOTAL]++;
  if (rows[r + RUN_COUNT] === 0) {
    rows[r + RUN_START] = start;
    rows[r + RUN_END] = end;
    rows[r + RUN_LINE] = lineNo;
    rows[r + RUN_COUNT] = 1;
    return;
  }
  const more = state.moreRuns.get(index);
  if (more === undefined) {
    if (rows[r + RUN_END] + 1 === start && rows[r + RUN_LINE] + rows[r + RUN_COUNT] === lineNo) {
      rows[r + RUN_END] = end;
      rows[r + RUN_COUNT]++;
    } else state.moreRuns.set(index, [start, end, lineNo, 1]);
    return;
  }
  const n = more.length;
  if (more[n - 3] + 1 === start && more[n - 2] + more[n - 1] === lineNo) {
    more[n - 3] = end;
    more[n - 1]++;
  } else more.push(start, end, lineNo, 1);
}

/** Files a jump target that is neither built in nor declared (yet) for the check at COMMIT. */
function checkTarget(state: TableState, t: string, lineNo: number, text: string, start: number, end: number): void {
  const slot = t.length & 63;
  if (state.okTargets[slot] === t) return;
  if (KNOWN_TARGETS.has(t) || chainIndex(state, t) >= 0) state.okTargets[slot] = t;
  else state.unresolved.push({ target: t, line: lineNo, raw: text.slice(start, end) });
}

/** Index of the chain named text[s, e) among the previous rule's chain and the next few declared ones, or -1. */
function predictChain(state: TableState, s: number, e: number): number {
  const cursor = state.cursor;
  // Most lines continue the previous line's chain: one native comparison with its name.
  const name = state.cursorName;
  if (cursor >= 0 && name.length === e - s && state.text.startsWith(name, s)) return cursor;
  const first = Math.max(cursor, 0);
  const stop = Math.min(state.n, first + LOOKAHEAD + 1);
  for (let i = first; i < stop; i++) if (i !== cursor && chainNameIs(state, i, s, e)) return i;
  return -1;
}

/** The rule lines of chain i, as runs [start, end, firstLineNo, count, ...] of the input. */
export function chainRuns(state: TableState, i: number): number[] {
  const r = i * ROW;
  const rows = state.rows;
  if (rows[r + RUN_COUNT] === 0) return [];
  const first = [rows[r + RUN_START], rows[r + RUN_END], rows[r + RUN_LINE], rows[r + RUN_COUNT]];
  const more = state.moreRuns.get(i);
  return more === undefined ? first : first.concat(more);
}

/** Parse state kept per table for what reads the dump without building it (iptables-summary.ts). */
const scans = new WeakMap<Table, TableState>();

/** The parse state of a table whose `chains` were not read (nor replaced) yet, else undefined. */
export function unbuiltTableState(table: Table): TableState | undefined {
  const state = scans.get(table);
  if (state === undefined) return undefined;
  const d = Object.getOwnPropertyDescriptor(table, 'chains');
  return d?.get !== undefined ? state : undefined;
}

/**
 * Ends the parse: each table's `chains` / `chainOrder` are built on first read, and each
 * chain's `rules` on first read of that chain.
 */
export function finalizeTables(states: Iterable<TableState>, sink: IssueSink): void {
  const caches = newRuleCaches();
  for (const state of states) {
    state.cursor = -1;
    state.cursorName = '';
    scans.set(state.table, state);
    makeChainsLazy(state.table, () => buildChains(state, caches, sink));
  }
}

function buildChains(state: TableState, caches: RuleCaches, sink: IssueSink): Pick<Table, 'chains' | 'chainOrder'> {
  const record: Record<string, Chain> = {};
  const order: string[] = new Array<string>(state.n);
  const objects: Chain[] = new Array<Chain>(state.n);
  // Chain → row, for the shared accessor: built on the first rules read, not per chain here.
  let rowOf: Map<Chain, number> | undefined;
  const row = (chain: Chain): number => {
    if (rowOf === undefined) {
      rowOf = new Map();
      for (let i = 0; i < objects.length; i++) rowOf.set(objects[i], i);
    }
    return rowOf.get(chain) ?? -1;
  };
  const lazy = sharedLazyRules({
    count: (chain) => {
      const i = row(chain);
      return i < 0 ? 0 : state.rows[i * ROW + TOTAL];
    },
    build: (chain) => {
      const i = row(chain);
      return i < 0 ? [] : buildRules(state, chain, chainRuns(state, i), caches, sink);
    },
  });
  const plain = (chain: Chain) => {
    chain.rules = [];
  };
  for (let i = 0; i < state.n; i++) {
    const chain = newChainObject(state, i, state.rows[i * ROW + TOTAL] > 0 ? lazy : plain);
    objects[i] = chain;
    order[i] = chain.name;
    record[chain.name] = chain;
  }
  return { chains: record, chainOrder: order };
}

/** Builds the rules of one chain from its runs [start, end, firstLineNo, count, ...] in the input. */
function buildRules(state: TableState, chain: Chain, p: number[], caches: RuleCaches, sink: IssueSink): Rule[] {
  const { text } = state;
  const tokens = newTokenBuffer();
  const rules: Rule[] = [];
  for (let k = 0; k < p.length; k += 4) {
    let s = p[k];
    const runEnd = p[k + 1];
    for (let i = 0; i < p[k + 3]; i++) {
      let e = i === p[k + 3] - 1 ? runEnd : text.indexOf('\n', s);
      if (e < 0 || e > runEnd) e = runEnd;
      buildRule(state, chain, text.slice(s, e), p[k + 2] + i, tokens, rules, caches, sink);
      s = e + 1;
    }
  }
  return rules;
}

/** Builds one rule line (already accepted by the eager check) and appends it to `rules`. */
function buildRule(
  state: TableState,
  chain: Chain,
  line: string,
  lineNo: number,
  tokens: TokenBuffer,
  rules: Rule[],
  caches: RuleCaches,
  sink: IssueSink,
): void {
  const rule = newRule(state.table.name, chain.name, lineNo, line);
  let start = 0;
  if (line.charCodeAt(0) === 91 /* [ */) {
    const prefix = parseCounterPrefix(line, 0)!;
    rule.counters = prefix.counters;
    start = prefix.end;
  }
  const err = tokenizeInto(line, start, tokens) ?? parseRuleWords(rule, tokens, 2, line, caches);
  if (err !== null) {
    // The eager check accepted this line, so this is a parser bug; never throw lazily.
    sink.issues.push({
      line: lineNo,
      raw: line.slice(0, 500),
      reason: `internal: rule builder disagrees with the line check: ${err.reason}`,
      severity: 'error',
    });
    return;
  }
  rules.push(rule);
}
