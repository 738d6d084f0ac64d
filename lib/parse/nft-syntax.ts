/**
 * Small pieces of nft's text syntax shared by the `nft list ruleset` parser and the JSON renderer:
 * named chain priorities, set-element splitting, and the iptables-nft ownership warning.
 */
import type { NftSetElement, NftTable } from '@/lib/model/nft';

/**
 * Standard priority names (nft(8) "CHAIN PRIORITIES"). The bridge family uses its own scale,
 * matching the kernel's NF_BR_PRI_* values.
 */
const PRIORITY: Record<string, number> = {
  raw: -300,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
};
const BRIDGE_PRIORITY: Record<string, number> = { dstnat: -300, filter: -200, out: 100, srcnat: 300 };

/** `dstnat` → -100, `dstnat - 10` → -110, `filter + 5` → 5, `-110` → -110; undefined if unknown. */
export function parsePriority(text: string, family: NftTable['family'] = 'ip'): number | undefined {
  const m = /^\s*(-?\d+|[a-z]+)\s*(?:([+-])\s*(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  const names = family === 'bridge' ? BRIDGE_PRIORITY : PRIORITY;
  const base = /^-?\d+$/.test(m[1]) ? Number(m[1]) : names[m[1]];
  if (base === undefined) return undefined;
  const delta = m[3] ? Number(m[3]) * (m[2] === '-' ? -1 : 1) : 0;
  return base + delta;
}

/** Split at top-level commas (not inside `{}`, `[]`, `()` or quotes). */
export function splitTopLevel(text: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quote = !quote;
    else if (quote) continue;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Net count of `{` minus `}` outside quoted strings. */
export function braceBalance(text: string): number {
  let n = 0;
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quote = !quote;
    else if (!quote && c === '{') n++;
    else if (!quote && c === '}') n--;
  }
  return n;
}

/**
 * One set/map element as nft prints it: `key [timeout T] [expires E] [counter ...] [comment "c"] [: value]`.
 * The map value separator is ` : ` with spaces, so IPv6 keys (which contain `:`) are safe.
 */
export function parseSetElement(text: string): NftSetElement {
  let keyPart = text;
  let value: string | undefined;
  const sep = findValueSeparator(text);
  if (sep >= 0) {
    keyPart = text.slice(0, sep);
    value = text.slice(sep + 3).trim();
  }
  let comment: string | undefined;
  keyPart = keyPart.replace(/\s+comment "((?:[^"\\]|\\.)*)"/, (_m, c: string) => {
    comment = c;
    return '';
  });
  // Element state that is not part of the key: dynamic-set timers and per-element counters.
  keyPart = keyPart
    .replace(/\s+(timeout|expires)\s+\S+/g, '')
    .replace(/\s+counter packets \d+ bytes \d+/g, '')
    .trim();
  return { key: keyPart, ...(value !== undefined ? { value } : {}), ...(comment !== undefined ? { comment } : {}) };
}

function findValueSeparator(text: string): number {
  let quote = false;
  for (let i = 0; i + 2 < text.length; i++) {
    if (text[i] === '"' && text[i - 1] !== '\\') quote = !quote;
    if (!quote && text[i] === ' ' && text[i + 1] === ':' && text[i + 2] === ' ') return i;
  }
  return -1;
}

/** `# Warning: table ip nat is managed by iptables-nft, do not touch!` → ['ip', 'nat']. */
export function iptablesNftWarning(line: string): [string, string] | undefined {
  const m = /# Warning: table (\S+) (\S+) is managed by iptables-nft/.exec(line);
  return m ? [m[1], m[2]] : undefined;
}

/** Strip one level of nft quoting from an identifier (`"my chain"` → `my chain`). */
export function unquote(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
}
