/**
 * Stop-gap reader for `ip route` / `ip -j route` output, used only until lib/parse/ip-route.ts
 * (owned by the parser engineer) lands: `default via GW dev DEV`, `10.0.0.0/24 dev DEV proto
 * kernel scope link src IP`, `local IP dev DEV table local ...`. Unknown lines become issues.
 */
import type { Route } from '@/lib/model/interfaces';
import type { ParseResult } from '@/lib/parse/parse-result';
import { IssueSink } from '@/lib/parse/parse-result';

const TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'anycast']);

export function parseIpRoute(text: string): ParseResult<Route[]> {
  const sink = new IssueSink('ip route');
  const routes: Route[] = [];
  if (/^\s*\[/.test(text)) {
    try {
      for (const r of JSON.parse(text) as Record<string, unknown>[]) {
        routes.push({ destination: String(r.dst ?? 'default'), type: r.type as string | undefined, gateway: r.gateway as string | undefined, device: r.dev as string | undefined, protocol: r.protocol as string | undefined, scope: r.scope as string | undefined, source: r.prefsrc as string | undefined, table: r.table as string | undefined });
      }
    } catch (e) {
      sink.add(0, text.slice(0, 200), `not valid JSON: ${(e as Error).message}`);
    }
    return { value: routes, issues: sink.issues };
  }
  text.split('\n').forEach((line, idx) => {
    const w = line.trim().split(/\s+/).filter(Boolean);
    if (!w.length) return;
    const r: Route = { destination: '', raw: line };
    let i = 0;
    if (TYPES.has(w[0])) r.type = w[i++];
    r.destination = w[i++] ?? '';
    if (!r.destination || (!/^[0-9a-fA-F:.]+(\/\d+)?$/.test(r.destination) && r.destination !== 'default')) {
      sink.add(idx + 1, line, 'not an ip route line', 'warning');
      return;
    }
    for (; i < w.length; i += 2) {
      const k = w[i];
      const v = w[i + 1];
      if (k === 'via') r.gateway = v;
      else if (k === 'dev') r.device = v;
      else if (k === 'proto') r.protocol = v;
      else if (k === 'scope') r.scope = v;
      else if (k === 'src') r.source = v;
      else if (k === 'metric') r.metric = Number(v);
      else if (k === 'table') r.table = v;
      else if (k === 'linkdown' || k === 'onlink' || k === 'dead') i--;
    }
    routes.push(r);
  });
  return { value: routes, issues: sink.issues };
}
