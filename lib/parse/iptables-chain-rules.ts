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
import { addChain, newChain, parseCounterPrefix } from '@/lib/parse/iptables-lines';
import { makeChainsLazy, makeRulesLazy } from '@/lib/parse/iptables-lazy';
import type { RuleCaches } from '@/lib/parse/iptables-rule';
import { newRule, newRuleCaches, parseRuleWords } from '@/lib/parse/iptables-rule';
import type { RuleCheck } from '@/lib/parse/iptables-validate';
import { checkRule } from '@/lib/parse/iptables-validate';
import { newTokenBuffer, tokenizeInto } from '@/lib/parse/tokenize';

/**
 * Checks the rule line `text[start, end)` and records its position under its chain; returns
 * the check, or null after an issue. The line is only sliced out of `text` for issues, so a
 * clean dump costs no string per rule until its chain is read.
 */
export function recordRuleLine(state: TableState, text: string, start: number, end: number, lineNo: number, sink: IssueSink): RuleCheck | null {
  let from = start;
  if (text.charCodeAt(start) === 91 /* [ */) {
    const prefix = parseCounterPrefix(text, start);
    if (prefix === null || prefix.end > end) {
      sink.add(lineNo, text.slice(start, end), 'malformed [packets:bytes] counter prefix');
      return null;
    }
    from = prefix.end;
  }
  const check = checkRule(text, from, end, start, state.lastChain?.name);
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
  let chain: Chain | undefined = state.lastChain?.name === check.chain ? state.lastChain : state.chains.get(check.chain);
  if (chain === undefined) {
    sink.add(lineNo, text.slice(start, end), `rule in chain ${check.chain}, which is not declared in table ${state.table.name}`);
    chain = newChain(state.table.name, check.chain, 0);
    addChain(state, chain);
  }
  const t = check.target;
  if (t !== undefined && !KNOWN_TARGETS.has(t) && !state.chains.has(t)) state.unresolved.push({ target: t, line: lineNo, raw: text.slice(start, end) });
  let p = chain === state.lastChain ? state.lastPending : state.pending.get(chain);
  if (p === undefined) state.pending.set(chain, (p = []));
  state.lastChain = chain;
  state.lastPending = p;
  p.push(start, end, lineNo);
  return check;
}

/**
 * Ends the parse: each table's `chains` / `chainOrder` are built on first read, and each
 * chain's `rules` on first read of that chain.
 */
export function finalizeTables(states: Iterable<TableState>, text: string, sink: IssueSink): void {
  const caches = newRuleCaches();
  for (const state of states) {
    const { chains, pending } = state;
    state.lastChain = undefined;
    state.lastPending = undefined;
    makeChainsLazy(state.table, () => {
      const record: Record<string, Chain> = {};
      const order: string[] = [];
      for (const chain of chains.values()) {
        record[chain.name] = chain;
        order.push(chain.name);
        const p = pending.get(chain);
        if (p !== undefined) makeRulesLazy(chain, p.length / 3, () => buildRules(state, chain, text, p, caches, sink));
      }
      pending.clear();
      return { chains: record, chainOrder: order };
    });
  }
}

/** Builds the rules of one chain from its recorded [start, end, lineNo, ...] in `text`. */
function buildRules(state: TableState, chain: Chain, text: string, p: number[], caches: RuleCaches, sink: IssueSink): Rule[] {
  const tokens = newTokenBuffer();
  const rules: Rule[] = [];
  for (let k = 0; k < p.length; k += 3) {
    const line = text.slice(p[k], p[k + 1]);
    const lineNo = p[k + 2];
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
      continue;
    }
    rules.push(rule);
  }
  return rules;
}
