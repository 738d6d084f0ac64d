/**
 * How each stub resolver reads a parsed resolv.conf. glibc (resolv/res_init.c, 2.26+) and musl
 * (src/network/resolvconf.c) disagree on line length, option names, caps and the `domain`
 * keyword; everything a flavour ignores is returned as an issue so the user sees it.
 */
import type { ResolvConfFile, ResolverConfig, ResolverFlavor, ResolverOptions } from '@/lib/model/dns';
import type { ParseIssue } from '@/lib/parse/parse-result';
import { clipLine } from '@/lib/parse/parse-result';
import { isIPv4, isIPv6 } from '@/lib/net/ip';

/** MAXNS in both glibc and musl. */
export const MAX_NAMESERVERS = 3;
/** musl reads lines with fgets into a 256-byte buffer; a line that does not fit is dropped whole. */
export const MUSL_MAX_LINE = 254;

export function defaultResolverOptions(): ResolverOptions {
  return {
    ndots: 1,
    timeout: 5,
    attempts: 2,
    rotate: false,
    singleRequest: false,
    singleRequestReopen: false,
    useVc: false,
    edns0: false,
    noTldQuery: false,
    trustAd: false,
    noAaaa: false,
  };
}

/** glibc option flags (no value) and the ResolverOptions field each sets. */
const GLIBC_FLAGS: Record<string, keyof ResolverOptions | null> = {
  rotate: 'rotate',
  'single-request': 'singleRequest',
  'single-request-reopen': 'singleRequestReopen',
  'use-vc': 'useVc',
  edns0: 'edns0',
  'no-tld-query': 'noTldQuery',
  'trust-ad': 'trustAd',
  'no-aaaa': 'noAaaa',
  // Accepted by glibc but without effect on name lookup order; modelled as known, not as an issue.
  'no-check-names': null,
  debug: null,
  'no-reload': null,
  inet6: null,
  'ip6-bytestring': null,
  'ip6-dotint': null,
  'no-ip6-dotint': null,
  insecure1: null,
  insecure2: null,
};
/** name → [cap glibc, cap musl]. */
const VALUED: Record<string, { field: 'ndots' | 'timeout' | 'attempts'; glibcCap: number; muslCap: number }> = {
  ndots: { field: 'ndots', glibcCap: 15, muslCap: 15 },
  timeout: { field: 'timeout', glibcCap: 30, muslCap: 60 },
  attempts: { field: 'attempts', glibcCap: 5, muslCap: 10 },
};

function stripScope(ip: string): string {
  const pct = ip.indexOf('%');
  return pct >= 0 ? ip.slice(0, pct) : ip;
}

/** Apply one flavour's reading rules to a parsed resolv.conf. */
export function readResolverConfig(file: ResolvConfFile, flavor: ResolverFlavor): ResolverConfig {
  const ignored: ParseIssue[] = [];
  const issue = (line: number, raw: string, reason: string, severity: ParseIssue['severity'] = 'warning') =>
    ignored.push({ line, raw: clipLine(raw), reason: `${flavor}: ${reason}`, severity });
  const options = defaultResolverOptions();
  const nameservers: string[] = [];
  let search: string[] = [];
  let searchLine = 0;
  for (const d of file.directives) {
    if (flavor === 'musl' && d.raw.length > MUSL_MAX_LINE) {
      issue(
        d.line,
        d.raw,
        `line is ${d.raw.length} characters; musl drops lines longer than ${MUSL_MAX_LINE} entirely`,
        'error',
      );
      continue;
    }
    switch (d.keyword) {
      case 'nameserver': {
        const ip = d.args[0];
        if (!isIPv4(ip) && !isIPv6(stripScope(ip))) {
          issue(d.line, d.raw, `nameserver "${ip}" is not an IP address literal; line ignored`, 'error');
        } else if (nameservers.length >= MAX_NAMESERVERS) {
          issue(d.line, d.raw, `more than ${MAX_NAMESERVERS} nameservers; ${ip} is ignored`);
        } else nameservers.push(stripScope(ip));
        if (d.args.length > 1) issue(d.line, d.raw, `extra words after the address are ignored`);
        break;
      }
      case 'domain':
      case 'search': {
        // Both flavours: the last `search` or `domain` line replaces the list (glibc: `domain`
        // keeps only its first word).
        if (searchLine) {
          const prev = file.directives.find((x) => x.line === searchLine);
          issue(
            searchLine,
            prev?.raw ?? '',
            `overridden by the later "${d.keyword}" line ${d.line} (last search/domain line wins)`,
          );
        }
        search = d.keyword === 'domain' && flavor === 'glibc' ? [d.args[0]] : [...d.args];
        searchLine = d.line;
        break;
      }
      case 'options':
        readOptions(d.args, flavor, options, (reason, sev) => issue(d.line, d.raw, reason, sev));
        break;
      case 'sortlist':
        if (flavor === 'musl') issue(d.line, d.raw, 'sortlist is not supported by musl');
        else issue(d.line, d.raw, 'sortlist only reorders addresses; not modelled', 'warning');
        break;
      default:
        break; // unknown keywords were reported by the parser
    }
  }
  // Search domains are used without their trailing dot by both resolvers' candidate builders.
  search = search.map((s) => (s.length > 1 && s.endsWith('.') ? s.slice(0, -1) : s));
  if (nameservers.length === 0) {
    ignored.push({
      line: 0,
      raw: '',
      reason: `${flavor}: no usable nameserver line; the resolver uses 127.0.0.1`,
      severity: 'warning',
    });
    nameservers.push('127.0.0.1');
  }
  return { flavor, nameservers, search, options, ignored };
}

function readOptions(
  args: string[],
  flavor: ResolverFlavor,
  options: ResolverOptions,
  issue: (reason: string, sev?: ParseIssue['severity']) => void,
): void {
  for (const opt of args) {
    const colon = opt.indexOf(':');
    const name = colon >= 0 ? opt.slice(0, colon) : opt;
    const valued = VALUED[name];
    if (valued && colon >= 0) {
      const m = /^\d+/.exec(opt.slice(colon + 1));
      if (!m && flavor === 'musl') {
        issue(`option "${opt}" has no numeric value; ignored`);
        continue;
      }
      // glibc reads the value with atoi(): no leading digits means 0 (verified: "ndots:x" → ndots:0).
      if (!m) issue(`option "${opt}" has no numeric value; glibc's atoi() reads it as ${name}:0`, 'error');
      const cap = flavor === 'glibc' ? valued.glibcCap : valued.muslCap;
      const value = m ? Number(m[0]) : 0;
      if (value > cap) issue(`option "${opt}" is capped at ${cap}`);
      options[valued.field] = Math.min(value, cap);
      continue;
    }
    if (flavor === 'musl') {
      // musl only looks for ndots:/attempts:/timeout: (strstr); everything else is inert.
      issue(`option "${opt}" is ignored by musl`);
      continue;
    }
    if (!(name in GLIBC_FLAGS)) {
      issue(`option "${opt}" is unknown to glibc; ignored`);
      continue;
    }
    const field = GLIBC_FLAGS[name];
    if (field) (options as unknown as Record<string, boolean>)[field] = true;
  }
}
