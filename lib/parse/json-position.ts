/**
 * JSON.parse with a useful error: the line and column of the first bad character, as a ParseIssue.
 * Shared by the JSON-input parsers (nft -j, ip -j addr/route, CNI config).
 */
import type { IssueSink } from '@/lib/parse/parse-result';

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const MAX_SEARCH = 8 * 1024 * 1024;

/**
 * Offset of the first character that cannot continue valid JSON. V8 does not always include a
 * position in its message ("Unexpected token 'o', ... is not valid JSON"), so find it by binary
 * search: a prefix that fails only with "Unexpected end" is still a valid beginning.
 */
function jsonErrorOffset(text: string, maxSearch = MAX_SEARCH): number | undefined {
  if (text.length > maxSearch) return undefined;
  const validPrefix = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return true;
    } catch (e) {
      const msg = e instanceof Error ? e.message : '';
      const pos = /position (\d+)/.exec(msg);
      // An error reported at the very end of the prefix only means "needs more input".
      return /Unexpected end|Unterminated string/i.test(msg) || (pos !== null && Number(pos[1]) >= n);
    }
  };
  let lo = 0; // longest known valid prefix length
  let hi = text.length; // the full text is invalid
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (validPrefix(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Where a JSON.parse SyntaxError happened, as line and column (1-based), when it can be found: from
 * V8's "position N", at the end for truncated text, else by the prefix search (texts up to
 * `maxSearch` characters).
 */
export function jsonErrorAt(
  text: string,
  err: unknown,
  maxSearch = MAX_SEARCH,
): { line: number; column: number } | undefined {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(msg);
  const offset = pos ? Number(pos[1]) : /Unexpected end/i.test(msg) ? text.length : jsonErrorOffset(text, maxSearch);
  return offset === undefined ? undefined : lineColumn(text, offset);
}

/** Parse JSON, turning a SyntaxError into an issue that names line and column. */
export function parseJsonWithPosition(text: string, sink: IssueSink): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = jsonErrorAt(text, e) ?? { line: 1, column: 0 };
    const raw = text.split('\n')[at.line - 1] ?? '';
    sink.add(at.line, raw, `invalid JSON at line ${at.line} column ${at.column}: ${msg}`);
    return undefined;
  }
}
