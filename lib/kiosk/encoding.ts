/**
 * Finds malformed percent-encoding in a request target before any route decodes it. `%ZZ` or a cut
 * UTF-8 sequence (`%E0%A4%A`) made Next answer a bare text/plain 500 without the security headers;
 * the proxy answers 400 with this reason instead.
 */

function decodes(part: string): boolean {
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

/** The reason the target is malformed, or undefined when every segment and parameter decodes. */
export function malformedEncoding(pathname: string, search: string): string | undefined {
  if (!pathname.split('/').every(decodes))
    return 'the path has malformed percent-encoding (a % must start %XX, and the bytes must be UTF-8)';
  const query = search.startsWith('?') ? search.slice(1) : search;
  // Form encoding: `+` is a space; `=` and `&` only split.
  const parts = query ? query.split('&').flatMap((kv) => kv.split('=')) : [];
  if (!parts.every((p) => decodes(p.replace(/\+/g, ' '))))
    return 'the query string has malformed percent-encoding (a % must start %XX, and the bytes must be UTF-8)';
  return undefined;
}
