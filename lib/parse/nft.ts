/**
 * Parser for `nft list ruleset` / `nft -a list ruleset` text into an NftRuleset.
 *
 * nft prints a nested block syntax (`table FAMILY NAME { set X { ... } chain Y { ... } }`), one
 * statement per line, except that long `elements = { ... }` lists wrap over several lines. Chain
 * names from kube-proxy contain `/` and `.` and are printed unquoted. iptables-nft-owned tables
 * come with a `# Warning: table ip nat is managed by iptables-nft, do not touch!` line that nft
 * writes before (terminal) or after (pipe) the ruleset; either way it marks kube-proxy iptables
 * mode, so the table is flagged `managedByIptablesNft`. nft prints that warning exactly when a table
 * holds xt (compat) statements, so a rule showing `xt match ...` sets the flag even without stderr;
 * tables whose xt statements nft translated back (comment, MARK) need the stderr line.
 */
import type { NftChain, NftRule, NftRuleset, NftSet, NftTable } from '@/lib/model/nft';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';
import {
  braceBalance,
  iptablesNftWarning,
  parsePriority,
  parseSetElement,
  splitTopLevel,
  unquote,
} from '@/lib/parse/nft-syntax';

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
/** Longest line accepted; real nft output wraps long element lists well below this. */
const MAX_LINE = 4 * 1024 * 1024;
const HANDLE_RE = /\s+# handle (\d+)$/;
const NAME = '("(?:[^"\\\\]|\\\\.)*"|[^\\s{]+)';

type Frame =
  | { kind: 'table'; table: NftTable }
  | { kind: 'chain'; table: NftTable; chain: NftChain }
  | { kind: 'set'; table: NftTable; set: NftSet }
  | { kind: 'skip'; depth: number };

export interface Pending {
  text: string;
  line: number;
  raw: string;
}

function stripHandle(text: string): { text: string; handle?: number } {
  const m = HANDLE_RE.exec(text);
  return m ? { text: text.slice(0, m.index), handle: Number(m[1]) } : { text };
}

/** Chain properties (`type … hook … priority …; policy …;`); also used by the `nft -f` script parser. */
export function parseChainHeader(stmt: string, chain: NftChain, family: NftTable['family']): string | undefined {
  // `type nat hook prerouting priority dstnat; policy accept;` (also `device eth0`, `devices = {..}`)
  for (const part of stmt
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const typed = /^type (filter|nat|route) hook (\S+)(?: devices? (?:= )?(?:\{[^}]*\}|\S+))? priority (.+)$/.exec(
      part,
    );
    const policy = /^policy (accept|drop)$/.exec(part);
    if (typed) {
      chain.type = typed[1] as NftChain['type'];
      chain.hook = typed[2];
      const prio = parsePriority(typed[3], family);
      if (prio === undefined) return `unknown chain priority "${typed[3]}"`;
      chain.priority = prio;
    } else if (policy) {
      chain.policy = policy[1] as NftChain['policy'];
    } else {
      return `unrecognised chain property "${part}"`;
    }
  }
  return undefined;
}

/** One set/map property statement; false when not recognised. Shared with the script parser. */
export function parseSetProperty(stmt: string, set: NftSet): boolean {
  let m: RegExpExecArray | null;
  if ((m = /^type (.+)$/.exec(stmt)) || (m = /^typeof (.+)$/.exec(stmt))) set.type = m[1].trim();
  else if ((m = /^flags (.+)$/.exec(stmt))) set.flags = m[1].split(',').map((f) => f.trim());
  else if ((m = /^comment "((?:[^"\\]|\\.)*)"$/.exec(stmt))) set.comment = m[1];
  else if ((m = /^elements = \{([\s\S]*)\}$/.exec(stmt)))
    set.elements.push(...splitTopLevel(m[1]).map(parseSetElement));
  else if (/^(size|timeout|gc-interval|policy|auto-merge|counter|quota)\b/.test(stmt))
    return true; // not needed to trace
  else return false;
  return true;
}

/** Appends one rule (handle, comment, xt check); true when it holds an xt (iptables-nft compat) statement. Shared with the script parser. */
export function addRule(chain: NftChain, p: Pending, sink: IssueSink): boolean {
  let xt = false;
  const { text, handle } = stripHandle(p.text.trim());
  // iptables-nft rules using xt extensions nft cannot translate (`xt match recent`): kept, flagged.
  for (const m of text.matchAll(/\bxt (match|target) (\S+)/g)) {
    xt = true;
    sink.add(
      p.line,
      p.raw,
      `iptables extension "${m[2]}" (xt ${m[1]}) is opaque to nft; rule kept, read this table with iptables-save`,
      'warning',
    );
  }
  const rule: NftRule = { text: text.trim(), line: p.line, raw: p.raw };
  if (handle !== undefined) rule.handle = handle;
  const c = /\scomment "((?:[^"\\]|\\.)*)"$/.exec(rule.text);
  if (c) rule.comment = c[1];
  chain.rules.push(rule);
  return xt;
}

/** Parse `nft [-a] list ruleset` output. */
export function parseNft(text: string, opts: ParseOptions = {}): ParseResult<NftRuleset> {
  const sink = new IssueSink('nft', opts.strict);
  const ruleset: NftRuleset = { tables: [] };
  const managed: string[] = [];
  const stack: Frame[] = [];
  let pending: Pending | undefined; // a statement whose braces are not closed yet (wrapped elements)
  const lines = text.split('\n');

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i].replace(/\r$/, '');
    if (line.length > MAX_LINE) {
      // nft never prints a line this long (element lists wrap); this is not an nft capture.
      sink.add(lineNo, line, `line of ${line.length} characters is too long for nft output`);
      continue;
    }
    const warn = iptablesNftWarning(line);
    if (warn) {
      managed.push(warn.join(' '));
      line = line.slice(0, line.indexOf('# Warning:')); // `}# Warning: ...` when stderr was merged
    }
    if (pending) {
      pending.text += ` ${line.trim()}`;
      pending.raw += `\n${line}`;
      if (braceBalance(pending.text) > 0) continue;
      line = pending.text;
    }
    const startLine = pending?.line ?? lineNo;
    const raw = pending?.raw ?? line;
    const stmt = stripHandle(line.trim()).text.trim();
    pending = undefined;
    if (stmt === '' || stmt.startsWith('#')) {
      // Other nft warnings (e.g. "table ... was created by a newer version of nftables") matter.
      if (/^# Warning:/.test(stmt) && !warn) sink.add(lineNo, line, stmt.slice(2), 'warning');
      continue;
    }
    const top = stack.at(-1);

    if (top?.kind === 'skip') {
      top.depth += braceBalance(stmt);
      if (top.depth <= 0) stack.pop();
      continue;
    }
    if (stmt === '}') {
      if (!top) sink.add(lineNo, raw, 'unbalanced "}"');
      else stack.pop();
      continue;
    }
    if (braceBalance(stmt) > 0 && !/\{$/.test(stmt)) {
      // Opened a brace it did not close on this line: an element list or anonymous set wraps.
      pending = { text: stmt, line: startLine, raw };
      continue;
    }

    if (!top) {
      const t = new RegExp(`^table (\\S+) ${NAME} \\{$`).exec(stmt);
      if (!t || !FAMILIES.has(t[1])) {
        sink.add(startLine, raw, 'expected "table FAMILY NAME {"');
        continue;
      }
      const table: NftTable = {
        family: t[1] as NftTable['family'],
        name: unquote(t[2]),
        line: startLine,
        chains: {},
        sets: {},
      };
      ruleset.tables.push(table);
      stack.push({ kind: 'table', table });
      continue;
    }

    if (top.kind === 'table') {
      const block = new RegExp(`^(chain|set|map) ${NAME} \\{$`).exec(stmt);
      const comment = /^comment "((?:[^"\\]|\\.)*)"$/.exec(stmt);
      if (block && block[1] === 'chain') {
        const chain: NftChain = { name: unquote(block[2]), line: startLine, rules: [] };
        if (top.table.chains[chain.name]) sink.add(startLine, raw, `chain ${chain.name} defined twice`, 'warning');
        top.table.chains[chain.name] = chain;
        stack.push({ kind: 'chain', table: top.table, chain });
      } else if (block) {
        const set: NftSet = {
          name: unquote(block[2]),
          kind: block[1] as 'set' | 'map',
          line: startLine,
          type: '',
          flags: [],
          elements: [],
        };
        top.table.sets[set.name] = set;
        stack.push({ kind: 'set', table: top.table, set });
      } else if (comment) {
        top.table.comment = comment[1];
      } else if (/^flags /.test(stmt)) {
        // table flags (dormant, owner): nothing to trace
      } else if (/\{$/.test(stmt)) {
        sink.add(startLine, raw, `table object not modelled, skipped: "${stmt.slice(0, 60)}"`, 'warning');
        stack.push({ kind: 'skip', depth: braceBalance(stmt) });
      } else {
        sink.add(startLine, raw, 'unrecognised line inside table');
      }
      continue;
    }

    if (top.kind === 'chain') {
      if (/^type \S+ hook /.test(stmt) || /^policy \S+;$/.test(stmt)) {
        const err = parseChainHeader(stmt, top.chain, top.table.family);
        if (err) sink.add(startLine, raw, err);
      } else if (/^comment "((?:[^"\\]|\\.)*)"$/.test(stmt) && top.chain.rules.length === 0) {
        // chain comment (nft prints it before the rules); a rule cannot consist of a comment alone
      } else {
        // nft warns "managed by iptables-nft" for tables with xt statements (has_xt_stmts);
        // a visible `xt match/target` proves it even when stderr was not captured.
        if (addRule(top.chain, { text: line, line: startLine, raw }, sink)) top.table.managedByIptablesNft = true;
      }
      continue;
    }

    if (!parseSetProperty(stmt, top.set)) sink.add(startLine, raw, `unrecognised ${top.set.kind} property`);
  }

  if (pending) sink.add(pending.line, pending.raw, 'unterminated "{" at end of input (truncated capture?)');
  else if (stack.length > 0)
    sink.add(lines.length, lines.at(-1) ?? '', `input ends inside ${stack.length} open block(s) (truncated capture?)`);

  for (const key of managed) {
    const table = ruleset.tables.find((t) => `${t.family} ${t.name}` === key);
    if (table) table.managedByIptablesNft = true;
  }
  return { value: ruleset, issues: sink.issues };
}
