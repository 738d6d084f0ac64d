/**
 * Shell-ish word splitting with the exact quoting rules of iptables-restore
 * (xtables `add_param_to_argv`), shared by the iptables parser and other line parsers.
 *
 * - Words are separated by spaces and tabs.
 * - `"` opens a quoted section anywhere in a word; inside it a backslash escapes the next
 *   character (`\"`, `\\`, `\'`). Outside quotes a backslash is an ordinary character.
 * - A closing `"` ends the word immediately, so `""` yields an empty word (that is what
 *   iptables-restore does, and it matters for `--comment ""`).
 * - A quote still open at end of line is an error (iptables-restore: "Unterminated quote").
 *
 * The scan is a single pass over char codes with no regular expressions: a 25 MB dump has
 * millions of words.
 */

export interface TokenizeError {
  /** 0-based column where the problem starts. */
  column: number;
  reason: string;
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Reusable output of tokenizeInto: `n` words; for word i, its text, whether it was quoted,
 * and its [start, end) character span in the line (spans let callers key caches on the
 * exact source text). Reusing one buffer per parse avoids two arrays per line.
 */
export interface TokenBuffer {
  n: number;
  words: string[];
  /** quoted[i] is true when word i contained a quoted section: it is then always a value,
   *  never an option, even if it starts with `-` or is `!`. */
  quoted: boolean[];
  starts: number[];
  ends: number[];
}

export function newTokenBuffer(): TokenBuffer {
  return { n: 0, words: [], quoted: [], starts: [], ends: [] };
}

function push(out: TokenBuffer, word: string, quoted: boolean, start: number, end: number): void {
  const k = out.n++;
  out.words[k] = word;
  out.quoted[k] = quoted;
  out.starts[k] = start;
  out.ends[k] = end;
}

/** Splits `line` from `start` into `out`. Returns a TokenizeError for an unterminated quote. */
export function tokenizeInto(line: string, start: number, out: TokenBuffer): TokenizeError | null {
  out.n = 0;
  const n = line.length;
  let i = start;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    // Fast path: a plain word with no quote is a single slice.
    const wordStart = i;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === SPACE || c === TAB || c === QUOTE) break;
      i++;
    }
    if (i >= n || c !== QUOTE) {
      push(out, line.slice(wordStart, i), false, wordStart, i);
      continue;
    }
    // Slow path: the word contains a quoted section.
    let buf = line.slice(wordStart, i);
    const quoteAt = i;
    i++; // skip opening quote
    let closed = false;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === BACKSLASH) {
        if (i + 1 >= n) break;
        buf += line[i + 1];
        i += 2;
        continue;
      }
      if (c === QUOTE) {
        closed = true;
        i++;
        break;
      }
      // Copy a run of ordinary characters at once.
      const runStart = i;
      while (i < n) {
        const d = line.charCodeAt(i);
        if (d === BACKSLASH || d === QUOTE) break;
        i++;
      }
      buf += line.slice(runStart, i);
    }
    if (!closed) return { column: quoteAt, reason: 'unterminated quote' };
    push(out, buf, true, wordStart, i);
  }
  // Drop stale references from a longer previous line so they can be collected.
  for (let k = out.n; k < out.words.length && out.words[k] !== undefined; k++)
    out.words[k] = undefined as unknown as string;
  return null;
}

/** Characters iptables-save prints without quoting (xtables `xtables_save_string`). */
function isNoQuoteChar(c: number): boolean {
  // 0-9, A-Z, a-z, '_' and '-'
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/**
 * Renders a string the way iptables-save's `xtables_save_string` does: bare when it is a
 * non-empty run of `[A-Za-z0-9_-]`, otherwise double-quoted with `"`, `'` and `\\` escaped.
 * Used for `--comment`, `--log-prefix` and friends. One deliberate difference: a value starting
 * with `-` is quoted (iptables prints it bare, and then cannot read its own output back).
 */
export function saveString(value: string): string {
  let plain = value.length > 0 && value.charCodeAt(0) !== 45;
  for (let i = 0; plain && i < value.length; i++) plain = isNoQuoteChar(value.charCodeAt(i));
  return plain ? value : quoteEscaped(value);
}

function quoteEscaped(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' || ch === "'" || ch === '\\') out += '\\';
    out += ch;
  }
  return `${out}"`;
}

/** Double-quotes a value unconditionally, escaping `"` and `\\` (libxt_string / u32 / bpf style). */
export function quoteAlways(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' || ch === '\\') out += '\\';
    out += ch;
  }
  return `${out}"`;
}

/**
 * Quotes a value only when iptables-restore would otherwise split or misread it
 * (whitespace, quotes, backslashes, empty, or a leading `-` / a bare `!` that would look
 * like an option). Plain values such as `10.0.0.1/32` stay bare, as iptables-save prints them.
 */
export function quoteIfNeeded(value: string): string {
  if (value.length === 0 || value === '!' || value.charCodeAt(0) === 45) return quoteEscaped(value);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === SPACE || c === TAB || c === QUOTE || c === BACKSLASH || c === 39 || c < 32) return quoteEscaped(value);
  }
  return value;
}
