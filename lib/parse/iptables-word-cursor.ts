/**
 * The word scanner behind checkRule (iptables-validate.ts): walks one rule line's words by char
 * code, the way tokenizeInto splits them (quotes, escapes, tabs), without slicing a string per
 * word. One shared cursor: the check runs once per line and never re-enters.
 */

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
export const DASH = 45;
const BANG = 33;

/** Word scanner state: the current word's span and kind, reused across calls. */
export interface Cursor {
  /** The whole input (scanning it directly is faster than scanning a sliced line). */
  line: string;
  /** End of this line in `line`, and its start (for column numbers). */
  limit: number;
  base: number;
  pos: number;
  start: number;
  end: number;
  quoted: boolean;
  /** Column of an unterminated quote, or -1. */
  badQuote: number;
  /** A control character (other than tab) was seen. */
  control: boolean;
  /** The current word was pushed back: the next call to next() returns it again. */
  back: boolean;
}

export const CURSOR: Cursor = {
  line: '',
  limit: 0,
  base: 0,
  pos: 0,
  start: 0,
  end: 0,
  quoted: false,
  badQuote: -1,
  control: false,
  back: false,
};

/** Advances to the next word; false at end of line. Mirrors tokenizeInto without slicing. */
export function next(c: Cursor): boolean {
  if (c.back) {
    c.back = false;
    return true;
  }
  const { line } = c;
  const n = c.limit;
  let i = c.pos;
  while (i < n && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
  if (i >= n) return false;
  c.start = i;
  c.quoted = false;
  for (;;) {
    if (i >= n) break;
    const ch = line.charCodeAt(i);
    if (ch === SPACE || ch === TAB) break;
    if (ch !== QUOTE) {
      if (ch < 32 || ch === 127) c.control = true;
      i++;
      continue;
    }
    // Quoted section: runs to the closing quote, which also ends the word.
    const quoteAt = i;
    i++;
    let closed = false;
    while (i < n) {
      const d = line.charCodeAt(i);
      if (d === BACKSLASH) {
        if (i + 1 >= n) break;
        i += 2;
      } else if (d === QUOTE) {
        closed = true;
        i++;
        break;
      } else {
        if (d < 32 && d !== TAB) c.control = true;
        i++;
      }
    }
    if (!closed) {
      c.badQuote = quoteAt;
      return false;
    }
    c.quoted = true;
    break;
  }
  c.end = i;
  c.pos = i;
  return true;
}

export function isBang(c: Cursor): boolean {
  return !c.quoted && c.end - c.start === 1 && c.line.charCodeAt(c.start) === BANG;
}
export function isOption(c: Cursor): boolean {
  return !c.quoted && c.end - c.start > 1 && c.line.charCodeAt(c.start) === DASH;
}
export function text(c: Cursor): string {
  return c.line.slice(c.start, c.end);
}
export function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/** True if the current word contains ':' (an IPv6 address). */
export function hasColon(c: Cursor): boolean {
  for (let i = c.start; i < c.end; i++) if (c.line.charCodeAt(i) === 58) return true;
  return false;
}

/** Reads the value after an option: false if missing, an option, or `!`. */
export function value(c: Cursor): boolean {
  if (!next(c)) return false;
  if (isBang(c) || isOption(c)) {
    c.back = true;
    return false;
  }
  return true;
}

/** The word's text as tokenizeInto would produce it (quotes removed, escapes resolved). */
export function unquote(raw: string, quoted: boolean): string {
  if (!quoted) return raw;
  let out = '';
  let inQuote = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (!inQuote) {
      if (ch === '"') inQuote = true;
      else out += ch;
    } else if (ch === '\\' && i + 1 < raw.length) out += raw[++i];
    else if (ch === '"') inQuote = false;
    else out += ch;
  }
  return out;
}

export function numeric(c: Cursor): boolean {
  if (!next(c)) return false;
  const s = unquote(text(c), c.quoted);
  if (s.length === 0 || s.length > 20) return false;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return true;
}
