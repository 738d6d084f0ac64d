/**
 * Which rules did real packets hit? `iptables-save -c` prefixes every rule with `[packets:bytes]`.
 * The tracer parses a plain `iptables-save` taken earlier; both print the same lines in the same
 * order, so counters map onto the plain dump's line numbers one to one (checked, not assumed).
 */
import type { Counters } from '@/lib/model/netfilter';

export interface RuleCounter extends Counters {
  /** 1-based line in the plain (counter-less) dump. */
  line: number;
  table: string;
  /** The rule as printed without counters. */
  rule: string;
}

/** Error raised when the two dumps do not describe the same ruleset. */
export class CounterMapError extends Error {
  constructor(
    readonly line: number,
    readonly plainLine: string,
    readonly counterLine: string,
  ) {
    super(
      `line ${line}: plain dump has ${JSON.stringify(plainLine)} but the -c dump has ${JSON.stringify(counterLine)}`,
    );
    this.name = 'CounterMapError';
  }
}

const COUNTER_RULE = /^\[(\d+):(\d+)\] (-A .*)$/;

/**
 * Maps `iptables-save -c` output onto the line numbers of a plain `iptables-save` of the same
 * ruleset. Comment lines (timestamps) may differ; every other line must match.
 */
export function mapIptablesCounters(plain: string, withCounters: string): RuleCounter[] {
  const a = plain.split('\n');
  const b = withCounters.split('\n');
  if (a.length !== b.length)
    throw new CounterMapError(Math.min(a.length, b.length), `${a.length} lines`, `${b.length} lines`);
  const out: RuleCounter[] = [];
  let table = '';
  for (let i = 0; i < a.length; i++) {
    const p = a[i];
    const c = b[i];
    if (p.startsWith('#') && c.startsWith('#')) continue;
    if (p.startsWith('*')) table = p.slice(1);
    const m = COUNTER_RULE.exec(c);
    if (m) {
      if (m[3] !== p) throw new CounterMapError(i + 1, p, c);
      out.push({ line: i + 1, table, rule: p, packets: Number(m[1]), bytes: Number(m[2]) });
    } else if (p.startsWith(':') ? p.split(' ')[0] !== c.split(' ')[0] : p !== c) {
      throw new CounterMapError(i + 1, p, c);
    }
  }
  return out;
}

/** Counters of rules that saw at least one packet. */
export function hitRules(counters: RuleCounter[]): RuleCounter[] {
  return counters.filter((c) => c.packets > 0);
}

export interface NftCounter {
  /** 1-based line in `nft list ruleset` output. */
  line: number;
  chain: string;
  rule: string;
  packets: number;
  bytes: number;
}

/** Reads `counter packets N bytes M` statements from `nft list ruleset` output, per line and chain. */
export function parseNftCounters(text: string): NftCounter[] {
  const out: NftCounter[] = [];
  let chain = '';
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const ch = /^chain (\S+) \{/.exec(line);
    if (ch) chain = ch[1];
    const m = /counter packets (\d+) bytes (\d+)/.exec(line);
    if (m) out.push({ line: i + 1, chain, rule: line, packets: Number(m[1]), bytes: Number(m[2]) });
  });
  return out;
}
