/**
 * On an iptables-nft node `nft list ruleset` also prints iptables' own tables (ip nat, ip filter...)
 * and flags every rule whose iptables extension nft cannot show (`xt match recent`, physdev, set).
 * Those are the very rules iptables-save shows in full, and the tracer reads them from there, so one
 * warning per rule (dozens per node) only buries the findings that matter. When the node's
 * iptables-save is at hand, these per-rule warnings fold into one line that still says how many
 * there are, where, and which extensions; warnings about any other table are left as they are.
 */
import type { NftRuleset, NftTable } from '@/lib/model/nft';
import type { ParseIssue } from '@/lib/parse/parse-result';
import { isTableName } from '@/lib/parse/iptables-known';

const XT_WARNING = /^iptables extension "([^"]+)" \(xt (?:match|target)\)/;

/** The table a line of the nft text belongs to (tables are printed one after another). */
function tableAtLine(tables: NftTable[], line: number): NftTable | undefined {
  let found: NftTable | undefined;
  for (const t of tables) if (t.line <= line && (found === undefined || t.line > found.line)) found = t;
  return found;
}

/** iptables-nft's tables are the ip/ip6 tables named like iptables' (arptables/ebtables-nft write others). */
function shownByIptablesSave(t: NftTable): boolean {
  return t.managedByIptablesNft === true && (t.family === 'ip' || t.family === 'ip6') && isTableName(t.name);
}

/** Replaces the xt warnings of iptables-nft-managed tables by one summary warning. */
export function foldIptablesNftXtWarnings(ruleset: NftRuleset, issues: ParseIssue[]): ParseIssue[] {
  const kept: ParseIssue[] = [];
  const folded: ParseIssue[] = [];
  const tables = new Set<string>();
  const extensions = new Set<string>();
  for (const issue of issues) {
    const m = XT_WARNING.exec(issue.reason);
    const table = m ? tableAtLine(ruleset.tables, issue.line) : undefined;
    if (m && table !== undefined && shownByIptablesSave(table)) {
      folded.push(issue);
      tables.add(`${table.family} ${table.name}`);
      extensions.add(m[1]);
    } else kept.push(issue);
  }
  if (folded.length === 0) return issues;
  const n = folded.length;
  kept.push({
    line: folded[0].line,
    raw: folded[0].raw,
    severity: 'warning',
    reason: `${n} rule${n === 1 ? '' : 's'} in iptables-nft's own table${tables.size === 1 ? '' : 's'} (${[...tables].join(', ')}) use iptables extensions nft cannot show (${[...extensions].join(', ')}); the same rules are read in full from iptables-save (first at this line)`,
  });
  return kept;
}
