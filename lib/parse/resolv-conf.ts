/**
 * resolv.conf, syntax only: which lines are directives, their keyword and arguments, with line
 * numbers and raw text kept. How glibc or musl then *reads* those directives (which ones they
 * ignore, cap or truncate) is lib/dns/resolver-config.ts, because the two differ.
 */
import type { ResolvConfDirective, ResolvConfFile } from '@/lib/model/dns';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';

/** Keywords glibc's res_init understands (musl understands a subset). */
export const RESOLV_CONF_KEYWORDS = ['nameserver', 'search', 'domain', 'options', 'sortlist'] as const;

/**
 * Parse resolv.conf text. Comment lines (`#` or `;` in column 1) and blank lines are skipped,
 * as both glibc and musl do. Everything else becomes a directive; lines that no resolver will
 * use (unknown keyword, keyword not in column 1, keyword without arguments) are issues.
 */
export function parseResolvConf(text: string, opts: ParseOptions = {}): ParseResult<ResolvConfFile> {
  const sink = new IssueSink('resolv.conf', opts.strict);
  const directives: ResolvConfDirective[] = [];
  const physical = text.split('\n');
  if (physical.length > 0 && physical[physical.length - 1] === '') physical.pop();
  const lines = physical.map((raw, i) => ({ line: i + 1, raw: raw.replace(/\r$/, '') }));
  for (const { line, raw } of lines) {
    if (raw.trim() === '' || raw.startsWith('#') || raw.startsWith(';')) continue;
    if (/^\s/.test(raw)) {
      // Both resolvers match the keyword at the start of the buffer; an indented line is dead.
      sink.add(line, raw, 'indented line: glibc and musl only recognise keywords in column 1, line ignored', 'warning');
      continue;
    }
    const tokens = raw.trim().split(/\s+/);
    const keyword = tokens[0];
    const args = tokens.slice(1);
    if (!(RESOLV_CONF_KEYWORDS as readonly string[]).includes(keyword)) {
      sink.add(line, raw, `unknown keyword "${keyword}": ignored by glibc and musl`, 'warning');
      directives.push({ line, raw, keyword, args });
      continue;
    }
    if (args.length === 0) {
      sink.add(line, raw, `"${keyword}" without a value: ignored`, 'warning');
      continue;
    }
    directives.push({ line, raw, keyword, args });
  }
  return { value: { directives, lines }, issues: sink.issues };
}
