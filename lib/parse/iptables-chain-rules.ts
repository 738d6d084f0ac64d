/**
 * Rule lines, split in two: `recordRuleLine` (eager, every line) checks the syntax and files
 * the raw line under its chain; `finalizeTables` makes each chain's `rules` build lazily from
 * those lines with the full parser (parseRuleWords). Errors are therefore all reported by the
 * eager pass, in line order, and strict mode still throws at the first one.
 */
import type { Chain, Rule } from '@/lib/model/netfilter';
import type { IssueSink } from '@/lib/parse/parse-result';
import { KNOWN_TARGETS } from '@/lib/parse/iptables-known';
import type { TableState } from '@/lib/parse/iptables-lines';
import { addChain, chainNamed, newChain, parseCounterPrefix } from '@/lib/parse/iptables-lines';
import { makeChainsLazy, makeRulesLazy } from '@/lib/parse/iptables-lazy';
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
 * clean dump costs no string per rule until its chain is read.
 */
export function recordRuleLine(state: TableState, text: string, start: number, end: number, lineNo: number, sink: IssueSink, needFamily = true): RuleCheck | null {
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
    const nameStart = text.indexOf('-A ', from) + 3;
    let nameEnd = text.indexOf(' ', nameStart);
    if (nameEnd < 0 || nameEnd > end) nameEnd = end;
    index = predictChain(state, text, nameStart, nameEnd);
    check.chain = index >= 0 ? state.list[index].name : text.slice(nameStart, nameEnd);
  } else {
    const hint = state.cursor >= 0 ? state.list[state.cursor].name : '';
    check = checkRule(text, from, end, start, hint);
    if (check.binary) {
      sink.add(lineNo, text.slice(start, end), 'binary data (control characters) in line; ignored');
      return null;
    }
    if (check.error !== undefined) {
      sink.add(lineNo, text.slice(start, end), check.error);
      return null;
    }
    if (check.unknownModules !== undefined) {
      for (const m of check.unknownModules) sink.add(lineNo, text.slice(start, end), `unknown match module "${m}" (kept; the tracer may not evaluate it)`, 'warning');
    }
    index = -1;
  }
  if (index < 0) index = chainByName(state, check.chain);
  if (index < 0) {
    sink.add(lineNo, text.slice(start, end), `rule in chain ${check.chain}, which is not declared in table ${state.table.name}`);
    index = state.list.length;
    addChain(state, newChain(state.table.name, check.chain, 0));
  }
  state.cursor = index;
  // A Map lookup among 60k chain names costs ~1 µs of scattered reads. Built-in targets repeat (DNAT,
  // RETURN, ACCEPT): the last one per name length is compared in place; chains are found by fingerprint.
  const t = check.target;
  if (t !== undefined) checkTarget(state, t, lineNo, text, start, end);
  else if (fast !== null && fast.targetStart >= 0) {
    const len = fast.targetEnd - fast.targetStart;
    const hot = state.okTargets[len & 63];
    if (hot.length !== len || !text.startsWith(hot, fast.targetStart)) {
      if (!state.declared.hasSpan(text, fast.targetStart, fast.targetEnd)) checkTarget(state, text.slice(fast.targetStart, fast.targetEnd), lineNo, text, start, end);
      else if (hot === '') state.okTargets[len & 63] = text.slice(fast.targetStart, fast.targetEnd); // the first chain of that length (KUBE-MARK-MASQ...)
    }
  }
  // Runs of adjacent lines: [start, end, firstLineNo, count]. iptables-save writes a chain's
  // rules one after another, so a chain is usually one run whatever its length.
  const p = state.runs[index];
  if (p === undefined) state.runs[index] = [start, end, lineNo, 1];
  else {
    const n = p.length;
    if (p[n - 3] + 1 === start && p[n - 2] + p[n - 1] === lineNo) {
      p[n - 3] = end;
      p[n - 1]++;
    } else p.push(start, end, lineNo, 1);
  }
  return check;
}

/** Files a jump target that is neither built in nor declared (yet) for the check at COMMIT. */
function checkTarget(state: TableState, t: string, lineNo: number, text: string, start: number, end: number): void {
  const slot = t.length & 63;
  if (state.okTargets[slot] === t) return;
  if (KNOWN_TARGETS.has(t) || chainNamed(state, t) !== undefined) state.okTargets[slot] = t;
  else state.unresolved.push({ target: t, line: lineNo, raw: text.slice(start, end) });
}

/** Index of the chain named text[s, e) among the previous rule's chain and the next few declared ones, or -1. */
function predictChain(state: TableState, text: string, s: number, e: number): number {
  const { list } = state;
  const len = e - s;
  const first = Math.max(state.cursor, 0);
  const stop = Math.min(list.length, first + LOOKAHEAD + 1);
  for (let i = first; i < stop; i++) {
    const name = list[i].name;
    if (name.length === len && text.startsWith(name, s)) return i;
  }
  return -1;
}

/** Index of a declared chain by name (out of declaration order), or -1. */
function chainByName(state: TableState, name: string): number {
  const cursor = state.cursor;
  if (cursor >= 0 && state.list[cursor].name === name) return cursor;
  const chain = chainNamed(state, name);
  if (chain === undefined) return -1;
  if (state.positions === undefined) {
    const positions = new Map<Chain, number>();
    state.list.forEach((c, i) => positions.set(c, i));
    state.positions = positions;
  }
  return state.positions.get(chain)!;
}

/**
 * Ends the parse: each table's `chains` / `chainOrder` are built on first read, and each
 * chain's `rules` on first read of that chain.
 */
export function finalizeTables(states: Iterable<TableState>, text: string, sink: IssueSink): void {
  const caches = newRuleCaches();
  for (const state of states) {
    const { list, runs } = state;
    state.cursor = -1;
    state.positions = undefined;
    makeChainsLazy(state.table, () => {
      const record: Record<string, Chain> = {};
      const order: string[] = [];
      list.forEach((chain, i) => {
        record[chain.name] = chain;
        order.push(chain.name);
        const p = runs[i];
        if (p !== undefined) makeRulesLazy(chain, runLines(p), () => buildRules(state, chain, text, p, caches, sink));
      });
      runs.length = 0;
      return { chains: record, chainOrder: order };
    });
  }
}

function runLines(p: number[]): number {
  let n = 0;
  for (let k = 3; k < p.length; k += 4) n += p[k];
  return n;
}

/** Builds the rules of one chain from its recorded runs [start, end, firstLineNo, count, ...] in `text`. */
function buildRules(state: TableState, chain: Chain, text: string, p: number[], caches: RuleCaches, sink: IssueSink): Rule[] {
  const tokens = newTokenBuffer();
  const rules: Rule[] = [];
  for (let k = 0; k < p.length; k += 4) {
    const lines = p[k + 3] === 1 ? [text.slice(p[k], p[k + 1])] : text.slice(p[k], p[k + 1]).split('\n');
    for (let i = 0; i < lines.length; i++) buildRule(state, chain, lines[i], p[k + 2] + i, tokens, rules, caches, sink);
  }
  return rules;
}

/** Builds one rule line (already accepted by the eager check) and appends it to `rules`. */
function buildRule(state: TableState, chain: Chain, line: string, lineNo: number, tokens: TokenBuffer, rules: Rule[], caches: RuleCaches, sink: IssueSink): void {
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
    sink.issues.push({ line: lineNo, raw: line.slice(0, 500), reason: `internal: rule builder disagrees with the line check: ${err.reason}`, severity: 'error' });
    return;
  }
  rules.push(rule);
}
