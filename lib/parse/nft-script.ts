/**
 * Parser for nft transaction scripts (what `nft -f` reads) in the flat form knftables writes and
 * kube-proxy's nftables proxier (and its packet-flow tests) use: one command per line,
 * `add table ip kube-proxy { comment "…" ; }`, `add chain ip kube-proxy services`,
 * `add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips`,
 * `add map … { type … : verdict ; }`, `add element … { k : v, … }`, `flush chain/map/set/table/ruleset`,
 * `delete …`. The result is the same NftRuleset `nft list ruleset` gives (lib/parse/nft.ts), built by
 * the same chain/set/rule helpers, so the nft tracer runs on either. Every rule keeps its script
 * line and line number. Commands are applied in order, as nft applies a transaction: a `flush`
 * empties what came before it.
 */
import type { NftChain, NftRuleset, NftSet, NftTable } from '@/lib/model/nft';
import { addRule, parseChainHeader, parseSetProperty } from '@/lib/parse/nft';
import { braceBalance, parseSetElement, splitTopLevel, unquote } from '@/lib/parse/nft-syntax';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const VERBS = '(?:add|create|insert|replace|flush|delete|destroy)';
const OBJECTS = '(?:table|chain|rule|set|map|element|ruleset)';
const COMMAND_RE = new RegExp(`^${VERBS}\\s+${OBJECTS}\\b`);
const NAME = '("(?:[^"\\\\]|\\\\.)*"|[^\\s{]+)';
const MAX_LINE = 4 * 1024 * 1024;

/** True when the first statement of `text` is an nft command (`add …`, `flush …`), not `table … {`. */
export function looksLikeNftScript(text: string): boolean {
  for (const line of text.split('\n', 2000)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    return COMMAND_RE.test(t);
  }
  return false;
}

interface Cmd {
  verb: string;
  object: string;
  rest: string;
  line: number;
  raw: string;
}

/** `{ a ; b ; }` → ['a', 'b'] (top-level `;` only, quotes respected). */
function blockParts(body: string): string[] {
  return splitTopLevel(body, ';');
}

/** Splits `FAMILY TABLE [NAME] [tail]` off the front of a command. */
function head(
  rest: string,
  withName: boolean,
): { family: NftTable['family']; table: string; name?: string; tail: string } | undefined {
  const re = new RegExp(`^(\\S+)\\s+${NAME}${withName ? `\\s+${NAME}` : ''}\\s*([\\s\\S]*)$`);
  const m = re.exec(rest.trim());
  if (!m || !FAMILIES.has(m[1])) return undefined;
  return {
    family: m[1] as NftTable['family'],
    table: unquote(m[2]),
    name: withName ? unquote(m[3]) : undefined,
    tail: withName ? m[4] : m[3],
  };
}

/** `{ … }` → inner text; '' → ''; anything else → undefined. */
function braced(tail: string): string | undefined {
  const t = tail.trim();
  if (t === '') return '';
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  return t.slice(1, -1);
}

/** Parse an `nft -f` script (knftables form) into the NftRuleset `nft list ruleset` would show. */
export function parseNftScript(text: string, opts: ParseOptions = {}): ParseResult<NftRuleset> {
  const sink = new IssueSink('nft -f script', opts.strict);
  const ruleset: NftRuleset = { tables: [] };
  const lines = text.split('\n');
  let pending: Cmd | undefined;

  const findTable = (family: string, name: string) =>
    ruleset.tables.find((t) => t.family === family && t.name === name);

  const apply = (c: Cmd): void => {
    const bad = (reason: string, severity: 'error' | 'warning' = 'error') => sink.add(c.line, c.raw, reason, severity);
    if (c.object === 'ruleset') {
      if (c.verb === 'flush') ruleset.tables = [];
      else bad(`"${c.verb} ruleset" is not an nft command`);
      return;
    }
    const h = head(c.rest, c.object !== 'table');
    if (!h) return bad(`expected "${c.verb} ${c.object} FAMILY TABLE${c.object === 'table' ? '' : ' NAME'} …"`);
    let table = findTable(h.family, h.table);

    if (c.object === 'table') {
      if (c.verb === 'delete' || c.verb === 'destroy') {
        if (!table && c.verb === 'delete') bad(`table ${h.family} ${h.table} does not exist`);
        ruleset.tables = ruleset.tables.filter((t) => t !== table);
        return;
      }
      if (c.verb === 'flush') {
        if (!table) return bad(`table ${h.family} ${h.table} does not exist`);
        for (const ch of Object.values(table.chains)) ch.rules = [];
        for (const s of Object.values(table.sets)) s.elements = [];
        return;
      }
      if (c.verb !== 'add' && c.verb !== 'create') return bad(`"${c.verb} table" is not supported`);
      const body = braced(h.tail);
      if (body === undefined) return bad('expected "{ … }" after the table name');
      if (table && c.verb === 'create') bad(`table ${h.family} ${h.table} already exists (create)`);
      if (!table) {
        table = { family: h.family, name: h.table, line: c.line, chains: {}, sets: {} };
        ruleset.tables.push(table);
      }
      for (const part of blockParts(body)) {
        const m = /^comment "((?:[^"\\]|\\.)*)"$/.exec(part);
        if (m) table.comment = m[1];
        else if (!/^flags /.test(part)) bad(`unrecognised table property "${part}"`);
      }
      return;
    }

    if (!table) return bad(`table ${h.family} ${h.table} does not exist`);
    const name = h.name!;

    if (c.object === 'chain') return chainCmd(c, table, name, h.tail, bad);
    if (c.object === 'set' || c.object === 'map') return setCmd(c, table, name, h.tail, bad);
    if (c.object === 'element') return elementCmd(c, table, name, h.tail, bad);
    return ruleCmd(c, table, name, h.tail, bad, sink);
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].replace(/\r$/, '');
    if (line.length > MAX_LINE) {
      sink.add(lineNo, line, `line of ${line.length} characters is too long for an nft script`);
      continue;
    }
    if (pending) {
      // A command whose `{` is closed on a later line (a wrapped element list or anonymous set).
      pending.rest += ` ${line.trim()}`;
      pending.raw += `\n${line}`;
      if (braceBalance(pending.rest) > 0) continue;
      const c = pending;
      pending = undefined;
      apply(c);
      continue;
    }
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = new RegExp(`^(${VERBS.slice(3, -1)})\\s+(${OBJECTS.slice(3, -1)})\\b\\s*([\\s\\S]*)$`).exec(t);
    if (!m) {
      sink.add(
        lineNo,
        line,
        /^table\s/.test(t)
          ? 'a "table … {" block in a command script: mixed forms are not read'
          : 'expected an nft command ("add rule …", "flush chain …")',
      );
      continue;
    }
    const c: Cmd = { verb: m[1], object: m[2], rest: m[3], line: lineNo, raw: line };
    if (braceBalance(c.rest) > 0) pending = c;
    else apply(c);
  }
  if (pending) sink.add(pending.line, pending.raw, 'unterminated "{" at end of input (truncated script?)');
  return { value: ruleset, issues: sink.issues };
}

type Bad = (reason: string, severity?: 'error' | 'warning') => void;

function chainCmd(c: Cmd, table: NftTable, name: string, tail: string, bad: Bad): void {
  const chain = table.chains[name];
  if (c.verb === 'flush') {
    if (!chain) return bad(`chain ${name} does not exist`);
    chain.rules = [];
    return;
  }
  if (c.verb === 'delete' || c.verb === 'destroy') {
    if (!chain && c.verb === 'delete') return bad(`chain ${name} does not exist`);
    delete table.chains[name];
    return;
  }
  if (c.verb !== 'add' && c.verb !== 'create') return bad(`"${c.verb} chain" is not supported`);
  const body = braced(tail);
  if (body === undefined) return bad('expected "{ … }" after the chain name');
  if (chain && c.verb === 'create') bad(`chain ${name} already exists (create)`);
  const target: NftChain = chain ?? { name, line: c.line, rules: [] };
  table.chains[name] = target;
  // `comment "…"` is a chain property in a script; the list parser never sees it inside the header.
  const props = blockParts(body).filter((p) => !/^comment "((?:[^"\\]|\\.)*)"$/.test(p));
  if (props.length === 0) return;
  const err = parseChainHeader(props.join('; '), target, table.family);
  if (err) bad(err);
  // A base chain created without `policy` gets the kernel's default, which `nft list` prints.
  if (target.hook && !target.policy) target.policy = 'accept';
}

function setCmd(c: Cmd, table: NftTable, name: string, tail: string, bad: Bad): void {
  const set = table.sets[name];
  const kind = c.object as 'set' | 'map';
  if (set && set.kind !== kind) return bad(`${name} is a ${set.kind}, not a ${kind}`);
  if (c.verb === 'flush') {
    if (!set) return bad(`${kind} ${name} does not exist`);
    set.elements = [];
    return;
  }
  if (c.verb === 'delete' || c.verb === 'destroy') {
    if (!set && c.verb === 'delete') return bad(`${kind} ${name} does not exist`);
    delete table.sets[name];
    return;
  }
  if (c.verb !== 'add' && c.verb !== 'create') return bad(`"${c.verb} ${kind}" is not supported`);
  const body = braced(tail);
  if (body === undefined || (!set && body.trim() === '')) return bad(`expected "{ type … ; }" after the ${kind} name`);
  if (set && c.verb === 'create') bad(`${kind} ${name} already exists (create)`);
  const target: NftSet = set ?? { name, kind, line: c.line, type: '', flags: [], elements: [] };
  table.sets[name] = target;
  for (const part of blockParts(body))
    if (!parseSetProperty(part, target)) bad(`unrecognised ${kind} property "${part}"`);
  if (!target.type) bad(`${kind} ${name} has no type`);
}

function elementCmd(c: Cmd, table: NftTable, name: string, tail: string, bad: Bad): void {
  const set = table.sets[name];
  if (!set) return bad(`set or map ${name} does not exist`);
  const body = braced(tail);
  if (body === undefined || body.trim() === '') return bad('expected "{ element, … }" after the set name');
  const elements = splitTopLevel(body).map(parseSetElement);
  if (c.verb === 'add' || c.verb === 'create') {
    for (const e of elements) {
      if (set.kind === 'map' && e.value === undefined) return bad(`map ${name} element "${e.key}" has no " : value"`);
      if (set.kind === 'set' && e.value !== undefined)
        return bad(`set ${name} element "${e.key}" has a value; only maps take " : value"`);
      const at = set.elements.findIndex((x) => x.key === e.key);
      // nft -f: adding an existing key to a map with a different value fails the whole transaction.
      if (at >= 0 && set.elements[at].value !== e.value)
        bad(`${name}: element "${e.key}" already exists with another value`);
      else if (at < 0) set.elements.push(e);
    }
    return;
  }
  if (c.verb === 'delete' || c.verb === 'destroy') {
    for (const e of elements) {
      const at = set.elements.findIndex((x) => x.key === e.key);
      if (at >= 0) set.elements.splice(at, 1);
      else if (c.verb === 'delete') bad(`${name}: element "${e.key}" does not exist`);
    }
    return;
  }
  bad(`"${c.verb} element" is not supported`);
}

function ruleCmd(c: Cmd, table: NftTable, name: string, tail: string, bad: Bad, sink: IssueSink): void {
  const chain = table.chains[name];
  if (!chain) return bad(`chain ${name} does not exist`);
  const text = tail.trim();
  if (c.verb === 'add' || c.verb === 'insert') {
    if (text === '') return bad('rule has no statements');
    if (/^(?:handle|index|position)\s+\d+\b/.test(text))
      return bad(`"${c.verb} rule … ${text.split(/\s+/)[0]} N" (placement by handle) is not supported`);
    const xt = addRule(chain, { text, line: c.line, raw: c.raw }, sink);
    if (xt) table.managedByIptablesNft = true;
    // `insert` prepends; addRule appends, so move the new rule to the front.
    if (c.verb === 'insert') chain.rules.unshift(chain.rules.pop()!);
    return;
  }
  if (c.verb === 'delete' || c.verb === 'destroy') {
    // Handles exist only in the kernel; a script's rule handles cannot be resolved here.
    const h = /^handle (\d+)$/.exec(text);
    if (!h) return bad('expected "delete rule FAMILY TABLE CHAIN handle N"');
    const at = chain.rules.findIndex((r) => r.handle === Number(h[1]));
    if (at >= 0) chain.rules.splice(at, 1);
    else bad(`rule handle ${h[1]} is not known from this script; rule not deleted`);
    return;
  }
  bad(`"${c.verb} rule" is not supported`);
}
