/**
 * Corefile (Caddyfile syntax), structure only: server blocks with their keys (zones and ports)
 * and the directives inside, nested blocks kept, line numbers and raw lines kept. What the
 * plugins mean is lib/dns/coredns-config.ts.
 */
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';

export interface CorefileDirective {
  name: string;
  args: string[];
  line: number;
  raw: string;
  block?: CorefileDirective[];
}

export interface CorefileServerBlock {
  /** Keys as written, e.g. [".:53"] or ["cluster.local:53", "in-addr.arpa:53"]. */
  keys: string[];
  /** Parsed keys: zone with trailing dot, port (default 53), transport. */
  zones: { zone: string; port: number; transport: string }[];
  line: number;
  directives: CorefileDirective[];
}

interface Token {
  text: string;
  line: number;
  quoted: boolean;
}

function tokenize(text: string, sink: IssueSink, lines: string[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      out.push({ text: '\n', line, quoted: false });
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === '`') {
      const start = line;
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && c === '"' && text[j + 1] === '"') {
          s += '"';
          j += 2;
          continue;
        }
        if (text[j] === '\n') line++;
        s += text[j++];
      }
      if (j >= text.length) sink.add(start, lines[start - 1] ?? '', 'unterminated quote');
      out.push({ text: s, line: start, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s#]/.test(text[j])) j++;
    out.push({ text: text.slice(i, j), line, quoted: false });
    i = j;
  }
  return out;
}

/** `.:53`, `cluster.local:53`, `dns://.:53`, `tls://example.org` → zone/port/transport. */
export function parseServerKey(key: string): { zone: string; port: number; transport: string } | undefined {
  let rest = key;
  let transport = 'dns';
  const m = /^([a-z+]+):\/\//.exec(rest);
  if (m) {
    transport = m[1];
    rest = rest.slice(m[0].length);
  }
  let port = transport === 'tls' ? 853 : 53;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    const p = Number(rest.slice(colon + 1));
    if (!Number.isInteger(p) || p < 0 || p > 65535) return undefined;
    port = p;
    rest = rest.slice(0, colon);
  }
  if (rest === '') rest = '.';
  const zone = rest.toLowerCase().endsWith('.') ? rest.toLowerCase() : `${rest.toLowerCase()}.`;
  return { zone, port, transport };
}

export function parseCorefile(text: string, opts: ParseOptions = {}): ParseResult<CorefileServerBlock[]> {
  const sink = new IssueSink('Corefile', opts.strict);
  const lines = text.split('\n');
  const tokens = tokenize(text, sink, lines);
  const blocks: CorefileServerBlock[] = [];
  let pos = 0;
  const skipNewlines = () => {
    while (pos < tokens.length && tokens[pos].text === '\n') pos++;
  };

  const readBody = (openLine: number): CorefileDirective[] => {
    const dirs: CorefileDirective[] = [];
    for (;;) {
      skipNewlines();
      if (pos >= tokens.length) {
        sink.add(openLine, lines[openLine - 1] ?? '', 'block opened here is never closed');
        return dirs;
      }
      const t = tokens[pos];
      if (t.text === '}' && !t.quoted) {
        pos++;
        return dirs;
      }
      const d: CorefileDirective = { name: t.text, args: [], line: t.line, raw: (lines[t.line - 1] ?? '').trim() };
      pos++;
      while (pos < tokens.length && tokens[pos].text !== '\n') {
        const a = tokens[pos];
        if (!a.quoted && a.text === '{') {
          pos++;
          d.block = readBody(a.line);
          break;
        }
        if (!a.quoted && a.text === '}') break; // closes the enclosing block on the same line
        d.args.push(a.text);
        pos++;
      }
      dirs.push(d);
    }
  };

  for (;;) {
    skipNewlines();
    if (pos >= tokens.length) break;
    const startLine = tokens[pos].line;
    const keys: string[] = [];
    while (pos < tokens.length && !(tokens[pos].text === '{' && !tokens[pos].quoted)) {
      const t = tokens[pos++];
      if (t.text === '\n') continue;
      keys.push(...t.text.split(',').filter(Boolean));
    }
    if (pos >= tokens.length) {
      sink.add(startLine, lines[startLine - 1] ?? '', 'server block keys without a { … } body');
      break;
    }
    pos++; // '{'
    const directives = readBody(startLine);
    if (keys.length === 1 && keys[0].startsWith('(')) continue; // snippet definition
    const zones = [];
    for (const k of keys) {
      const z = parseServerKey(k);
      if (z) zones.push(z);
      else sink.add(startLine, lines[startLine - 1] ?? '', `cannot parse server block key "${k}"`);
    }
    blocks.push({ keys, zones, line: startLine, directives });
  }
  return { value: blocks, issues: sink.issues };
}
