/**
 * /etc/hosts-format file standing for "what the upstream DNS knows" (the CLI's --upstream-hosts,
 * and the `hosts` plugin's inline entries). A name listed only with IPv4 addresses answers AAAA
 * with NODATA; a name not listed is NXDOMAIN (like an authoritative upstream).
 */
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';
import { isIPv4, isIPv6 } from '@/lib/net/ip';
import type { HostsTable } from '@/lib/model/coredns';

export function normalizeName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n : `${n}.`;
}

export function parseHostsFile(text: string, opts: ParseOptions = {}): ParseResult<HostsTable> {
  const sink = new IssueSink('hosts', opts.strict);
  const table: HostsTable = new Map();
  text.split('\n').forEach((rawLine, i) => {
    const raw = rawLine.replace(/\r$/, '');
    const body = raw.replace(/#.*/, '').trim();
    if (!body) return;
    const [ip, ...names] = body.split(/\s+/);
    const v6 = isIPv6(ip);
    if (!isIPv4(ip) && !v6) {
      sink.add(i + 1, raw, `"${ip}" is not an IP address`);
      return;
    }
    if (names.length === 0) {
      sink.add(i + 1, raw, 'address without a host name', 'warning');
      return;
    }
    for (const n of names) {
      const key = normalizeName(n);
      const entry = table.get(key) ?? { v4: [], v6: [], line: i + 1 };
      const list = v6 ? entry.v6 : entry.v4;
      if (!list.includes(ip)) list.push(ip);
      table.set(key, entry);
    }
  });
  return { value: table, issues: sink.issues };
}
