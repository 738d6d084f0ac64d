/**
 * Prints a NetfilterDump back as canonical iptables-save text, so that
 * parse → print → parse is the identity and a real iptables-save capture prints back
 * byte-for-byte (checked on the golden fixtures).
 *
 * Canonical order (iptables 1.8 `save_rule`): `[!] -s`, `[!] -d`, `[!] -i`, `[!] -o`, `[!] -p`,
 * `[!] -f`, then `-m` matches in order, then `-j`/`-g TARGET options`.
 */
import type { NetfilterDump, Rule, RuleOption, Table } from '@/lib/model/netfilter';
import { ALWAYS_QUOTED_OPTIONS, SAVE_STRING_OPTIONS } from '@/lib/parse/iptables-known';
import { quoteAlways, quoteIfNeeded, saveString } from '@/lib/parse/tokenize';

export const LEGACY_WARNING_LINE = '# Warning: iptables-legacy tables present, use iptables-legacy-save to see them';

/** Renders the whole dump; each table is framed by the generator / Completed comments when known. */
export function printIptablesSave(dump: NetfilterDump): string {
  const out: string[] = [];
  if (dump.legacyTablesPresent) out.push(LEGACY_WARNING_LINE);
  const on = dump.generator?.indexOf(' on ') ?? -1;
  const date = dump.generator !== undefined && on >= 0 ? dump.generator.slice(on + 4) : undefined;
  for (const table of Object.values(dump.tables)) {
    if (table === undefined) continue;
    if (dump.generator !== undefined) out.push(dump.generator);
    printTable(table, out);
    if (date !== undefined) out.push(`# Completed on ${date}`);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

function printTable(table: Table, out: string[]): void {
  out.push(`*${table.name}`);
  for (const name of table.chainOrder) {
    const chain = table.chains[name];
    // Always declared, even chains that were only referenced (line 0) in a lenient parse:
    // the printed text is then valid iptables-restore input.
    const c = chain.counters;
    out.push(`:${name} ${chain.policy ?? '-'}${c ? ` [${c.packets}:${c.bytes}]` : ''}`);
  }
  for (const name of table.chainOrder) {
    for (const rule of table.chains[name].rules) out.push(printRule(rule));
  }
  out.push('COMMIT');
}

/** Renders one rule in iptables-save's canonical form (with a `[p:b]` prefix when it has counters). */
export function printRule(rule: Rule): string {
  let s = rule.counters ? `[${rule.counters.packets}:${rule.counters.bytes}] -A ${rule.chain}` : `-A ${rule.chain}`;
  if (rule.source) s += `${rule.source.negated ? ' !' : ''} -s ${quoteIfNeeded(rule.source.value)}`;
  if (rule.destination) s += `${rule.destination.negated ? ' !' : ''} -d ${quoteIfNeeded(rule.destination.value)}`;
  if (rule.inInterface) s += `${rule.inInterface.negated ? ' !' : ''} -i ${quoteIfNeeded(rule.inInterface.value)}`;
  if (rule.outInterface) s += `${rule.outInterface.negated ? ' !' : ''} -o ${quoteIfNeeded(rule.outInterface.value)}`;
  if (rule.protocol) s += `${rule.protocol.negated ? ' !' : ''} -p ${quoteIfNeeded(rule.protocol.value)}`;
  if (rule.fragment) s += `${rule.fragment.negated ? ' !' : ''} -f`;
  for (const m of rule.matches) {
    if (!m.implicit) s += ` -m ${quoteIfNeeded(m.name)}`;
    for (const o of m.options) s += printOption(o);
  }
  if (rule.target) {
    s += ` ${rule.target.kind === 'goto' ? '-g' : '-j'} ${quoteIfNeeded(rule.target.name)}`;
    for (const o of rule.target.options) s += printOption(o);
  }
  return s;
}

function printOption(o: RuleOption): string {
  let s = `${o.negated ? ' !' : ''} --${o.name}`;
  const quote = SAVE_STRING_OPTIONS.has(o.name)
    ? saveString
    : ALWAYS_QUOTED_OPTIONS.has(o.name)
      ? quoteAlways
      : quoteIfNeeded;
  for (const v of o.values) s += ` ${quote(v)}`;
  return s;
}
