/**
 * Parser for `nft -j list ruleset` (libnftables JSON schema 1) into the same NftRuleset the text
 * parser builds. Rule expressions are rendered back to nft's text syntax (nft-json-render.ts).
 *
 * Line numbers: JSON output is usually one line, so `line` on tables/chains/sets/rules is the
 * 1-based position of the object in the top-level `nftables` array instead.
 * The iptables-nft ownership warning is not part of the JSON (nft writes it to stderr), but nft
 * prints it exactly for tables holding xt statements, which the JSON shows; warning lines in
 * appended stderr are honoured too.
 */
import type { NftChain, NftRule, NftRuleset, NftSet, NftTable } from '@/lib/model/nft';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';
import { parseJsonWithPosition } from '@/lib/parse/json-position';
import { iptablesNftWarning } from '@/lib/parse/nft-syntax';
import { renderExpr, renderStatement, type RenderContext } from '@/lib/parse/nft-json-render';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

function setType(o: Obj): string {
  const t = Array.isArray(o.type) ? (o.type as string[]).join(' . ') : String(o.type ?? '');
  return o.map !== undefined ? `${t} : ${o.map}` : t;
}

function toSet(o: Obj, kind: 'set' | 'map', pos: number, ctx: RenderContext): NftSet {
  const set: NftSet = { name: String(o.name), kind, line: pos, type: setType(o), flags: [], elements: [] };
  if (o.flags !== undefined) set.flags = ([] as unknown[]).concat(o.flags).map(String);
  if (typeof o.comment === 'string') set.comment = o.comment;
  for (const el of Array.isArray(o.elem) ? o.elem : []) {
    const [k, v] = Array.isArray(el) && el.length === 2 ? el : [el, undefined];
    const inner = isObj(k) && isObj(k.elem) ? k.elem : undefined;
    const key = renderExpr(inner ? inner.val : k, ctx);
    set.elements.push({
      key,
      ...(v !== undefined ? { value: renderExpr(v, ctx) } : {}),
      ...(inner && typeof inner.comment === 'string' ? { comment: inner.comment } : {}),
    });
  }
  return set;
}

/** Parse `nft -j list ruleset` output (optionally followed by nft's stderr warnings). */
export function parseNftJson(text: string, opts: ParseOptions = {}): ParseResult<NftRuleset> {
  const sink = new IssueSink('nft -j', opts.strict);
  const ruleset: NftRuleset = { tables: [] };
  const managed = new Set<string>();
  // Separate the JSON document from warning lines nft prints on stderr.
  const jsonLines: string[] = [];
  for (const l of text.split('\n')) {
    const w = iptablesNftWarning(l);
    if (w) managed.add(w.join(' '));
    jsonLines.push(w ? '' : l);
  }
  const body = jsonLines.join('\n');
  if (body.trim() === '') return { value: ruleset, issues: sink.issues };
  const doc = parseJsonWithPosition(body, sink);
  if (doc === undefined) return { value: ruleset, issues: sink.issues };
  if (!isObj(doc) || !Array.isArray(doc.nftables)) {
    sink.add(1, body.split('\n')[0] ?? '', 'not nft -j output (no top-level "nftables" array)');
    return { value: ruleset, issues: sink.issues };
  }
  const tables = new Map<string, NftTable>();
  const xtTables = new Set<NftTable>();
  doc.nftables.forEach((item: unknown, idx: number) => {
    const pos = idx + 1;
    const raw = JSON.stringify(item) ?? '';
    if (!isObj(item)) return sink.add(pos, raw, 'nftables array item is not an object');
    const [kind, v] = Object.entries(item)[0] ?? ['', undefined];
    if (kind === 'metainfo') return;
    if (!isObj(v)) return sink.add(pos, raw, `"${kind}" item is not an object`);
    const tableKey = `${v.family} ${kind === 'table' ? v.name : v.table}`;
    if (kind === 'table') {
      if (!FAMILIES.has(String(v.family)) || typeof v.name !== 'string')
        return sink.add(pos, raw, 'table without a valid family/name');
      const t: NftTable = { family: v.family as NftTable['family'], name: v.name, line: pos, chains: {}, sets: {} };
      if (typeof v.comment === 'string') t.comment = v.comment;
      tables.set(tableKey, t);
      ruleset.tables.push(t);
      return;
    }
    const table = tables.get(tableKey);
    if (!table) return sink.add(pos, raw, `${kind} refers to unknown table ${tableKey}`);
    const unknownKeys: string[] = [];
    const ctx: RenderContext = { unknown: (k) => unknownKeys.push(k), xt: () => xtTables.add(table) };
    if (kind === 'chain') {
      const chain: NftChain = { name: String(v.name), line: pos, rules: [] };
      if (typeof v.type === 'string') chain.type = v.type as NftChain['type'];
      if (typeof v.hook === 'string') chain.hook = v.hook;
      if (typeof v.prio === 'number') chain.priority = v.prio;
      if (v.policy === 'accept' || v.policy === 'drop') chain.policy = v.policy;
      table.chains[chain.name] = chain;
    } else if (kind === 'set' || kind === 'map') {
      table.sets[String(v.name)] = toSet(v, kind, pos, ctx);
    } else if (kind === 'rule') {
      const chain = table.chains[String(v.chain)];
      if (!chain) return sink.add(pos, raw, `rule for unknown chain ${String(v.chain)}`);
      const parts = (Array.isArray(v.expr) ? v.expr : []).map((s) => renderStatement(s, ctx));
      if (typeof v.comment === 'string') parts.push(`comment ${JSON.stringify(v.comment)}`);
      const rule: NftRule = { text: parts.join(' '), line: pos, raw };
      if (typeof v.handle === 'number') rule.handle = v.handle;
      if (typeof v.comment === 'string') rule.comment = v.comment;
      chain.rules.push(rule);
    } else {
      sink.add(pos, raw, `nft object "${kind}" not modelled, skipped`, 'warning');
    }
    // Unknown expressions stay in the text as <json:KEY>; the issue says so.
    for (const k of new Set(unknownKeys))
      sink.add(pos, raw, `unknown nft JSON expression "${k}" kept as <json:${k}>`, 'warning');
  });
  for (const t of xtTables) {
    // nft prints "managed by iptables-nft" exactly when a table holds xt (compat) statements
    // (table_print: `if (table->has_xt_stmts)`), so the JSON alone tells us without stderr.
    t.managedByIptablesNft = true;
    sink.add(
      t.line,
      `table ${t.family} ${t.name}`,
      'table uses iptables extensions (xt) whose details nft cannot show; read it with iptables-save',
      'warning',
    );
  }
  for (const key of managed) {
    const t = tables.get(key);
    if (t) t.managedByIptablesNft = true;
  }
  return { value: ruleset, issues: sink.issues };
}
