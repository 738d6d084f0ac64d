/**
 * Parser for `ipset list` (blocks of `Name:` / `Type:` / `Header:` / `Members:`) and for the
 * `ipset save` form (`create NAME TYPE ...` / `add NAME ENTRY ...`). Both give an IpSetList.
 *
 * Member lines carry the entry first and then optional extensions (`timeout 300`,
 * `packets 0 bytes 0`, `comment "..."`, `nomatch`, `skbmark ...`). The entry is kept on its
 * own; a `nomatch` extension is kept in the entry text as ` nomatch` because it inverts the
 * match for hash:*net* sets (the kernel skips the packet for that sub-net).
 */
import type { IpSet, IpSetList } from '@/lib/model/ipvs';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';

const HEADER_FIELDS = new Set(['Revision', 'Size in memory', 'References', 'Number of entries']);

interface Block {
  set: IpSet;
  declaredEntries?: number;
  declaredLine?: number;
}

/** Split a member line into the entry and its `comment "..."` (ipset prints comments quoted). */
export function splitMember(text: string): { entry: string; comment?: string } {
  const trimmed = text.trim();
  const sp = trimmed.search(/\s/);
  const entry = sp < 0 ? trimmed : trimmed.slice(0, sp);
  const rest = sp < 0 ? '' : trimmed.slice(sp);
  const comment = /\bcomment "((?:[^"\\]|\\.)*)"/.exec(rest)?.[1];
  const nomatch = /(^|\s)nomatch(\s|$)/.test(rest.replace(/comment "(?:[^"\\]|\\.)*"/, ''));
  return { entry: nomatch ? `${entry} nomatch` : entry, ...(comment !== undefined ? { comment } : {}) };
}

function familyOf(header: string): IpSet['family'] {
  const m = /\bfamily (inet6?)\b/.exec(header);
  return m ? (m[1] as 'inet' | 'inet6') : undefined;
}

function newSet(name: string, line: number): IpSet {
  return { name, type: '', header: '', members: [], line };
}

function finish(block: Block | undefined, sets: Record<string, IpSet>, sink: IssueSink): void {
  if (!block) return;
  const { set } = block;
  if (!set.type) sink.add(set.line, `Name: ${set.name}`, `set ${set.name} has no Type line`);
  if (block.declaredEntries !== undefined && block.declaredEntries !== set.members.length) {
    // A capture cut short (agent cap, broken pipe) shows up exactly here.
    sink.add(
      block.declaredLine ?? set.line,
      `Number of entries: ${block.declaredEntries}`,
      `set ${set.name} declares ${block.declaredEntries} entries but lists ${set.members.length} (truncated capture?)`,
      'warning',
    );
  }
  if (sets[set.name]) sink.add(set.line, `Name: ${set.name}`, `set ${set.name} listed twice`, 'warning');
  sets[set.name] = set;
}

function parseSave(lines: string[], sink: IssueSink): IpSetList {
  const sets: Record<string, IpSet> = {};
  lines.forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '');
    const lineNo = i + 1;
    if (line.trim() === '' || line.startsWith('#')) return;
    const create = /^create (\S+) (\S+)(?: (.*))?$/.exec(line);
    if (create) {
      const set = newSet(create[1], lineNo);
      set.type = create[2];
      set.header = create[3] ?? '';
      set.family = familyOf(set.header);
      if (sets[set.name]) sink.add(lineNo, line, `set ${set.name} created twice`, 'warning');
      sets[set.name] = set;
      return;
    }
    const add = /^add (\S+) (.+)$/.exec(line);
    if (add) {
      const set = sets[add[1]];
      if (!set) sink.add(lineNo, line, `add to unknown set ${add[1]}`);
      else set.members.push({ ...splitMember(add[2]), line: lineNo });
      return;
    }
    sink.add(lineNo, line, 'not an ipset save line (expected create/add)');
  });
  return { sets };
}

function parseList(lines: string[], sink: IssueSink): IpSetList {
  const sets: Record<string, IpSet> = {};
  let block: Block | undefined;
  let inMembers = false;
  lines.forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '');
    const lineNo = i + 1;
    if (line.trim() === '') {
      inMembers = false; // a blank line ends the member list
      return;
    }
    const name = /^Name: (\S+)$/.exec(line);
    if (name) {
      finish(block, sets, sink);
      block = { set: newSet(name[1], lineNo) };
      inMembers = false;
      return;
    }
    if (!block) {
      sink.add(lineNo, line, 'not an ipset list line (expected "Name: ...")');
      return;
    }
    if (inMembers) {
      block.set.members.push({ ...splitMember(line), line: lineNo });
      return;
    }
    const field = /^([A-Za-z][A-Za-z ]*):(?: (.*))?$/.exec(line);
    if (!field) {
      sink.add(lineNo, line, 'unrecognised ipset list line');
      return;
    }
    const [, key, val = ''] = field;
    if (key === 'Type') block.set.type = val.trim();
    else if (key === 'Header') {
      block.set.header = val.trim();
      block.set.family = familyOf(block.set.header);
    } else if (key === 'Members') inMembers = true;
    else if (key === 'Number of entries' && /^\d+$/.test(val.trim())) {
      block.declaredEntries = Number(val.trim());
      block.declaredLine = lineNo;
    } else if (!HEADER_FIELDS.has(key) && key !== 'Dimensions') {
      sink.add(lineNo, line, `unknown ipset header field "${key}"`, 'warning');
    }
  });
  finish(block, sets, sink);
  return { sets };
}

/** Parse `ipset list` or `ipset save` output (detected from the first non-blank line). */
export function parseIpset(text: string, opts: ParseOptions = {}): ParseResult<IpSetList> {
  const sink = new IssueSink('ipset', opts.strict);
  const lines = text.split('\n');
  const first = lines.find((l) => l.trim() !== '') ?? '';
  const value = /^(create|add) /.test(first) ? parseSave(lines, sink) : parseList(lines, sink);
  return { value, issues: sink.issues };
}
