/**
 * The small line kinds of iptables-save: `:CHAIN POLICY [p:b]` declarations, the `[p:b]`
 * counter prefix of `-c` dumps, and the end-of-table checks run at COMMIT.
 */
import type { Chain, Counters, Table, TableName } from '@/lib/model/netfilter';
import type { IssueSink } from '@/lib/parse/parse-result';
import { BUILTIN_CHAINS, KNOWN_TARGETS } from '@/lib/parse/iptables-known';

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

/** Parses `:NAME POLICY [p:b]` into `table`, reporting problems to `sink`. */
export function parseChainLine(table: Table, line: string, lineNo: number, sink: IssueSink): void {
  const parts = line.slice(1).split(' ').filter((p) => p.length > 0);
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
  if (table.chains[name] !== undefined) {
    const first = table.chains[name];
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
  table.chains[name] = chain;
  table.chainOrder.push(name);
}

/**
 * Checks run when a table is complete: every jump/goto must name a built-in target or a
 * chain of the same table (iptables-restore refuses the whole table otherwise).
 */
export function validateTable(table: Table, sink: IssueSink): void {
  for (const chainName of table.chainOrder) {
    for (const rule of table.chains[chainName].rules) {
      const t = rule.target;
      if (t === undefined || KNOWN_TARGETS.has(t.name) || table.chains[t.name] !== undefined) continue;
      if (BUILTIN_CHAINS[table.name].has(t.name)) continue;
      const looksLikeChain = t.name.startsWith('KUBE-') || t.name.includes('-') || t.name !== t.name.toUpperCase();
      sink.add(
        rule.line,
        rule.raw,
        looksLikeChain
          ? `target ${t.name} is not a chain declared in table ${table.name}`
          : `unknown target ${t.name} (not a built-in target nor a chain of table ${table.name}; kept)`,
        looksLikeChain ? 'error' : 'warning',
      );
    }
  }
}
