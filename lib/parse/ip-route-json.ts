/**
 * Parser for `ip -j route` / `ip -j route show table all` into the same Route[] as the text
 * parser. Field map: dst, type (absent = unicast), gateway, dev, table (absent = main),
 * protocol, scope, prefsrc → source, metric; `nexthops` (multipath) keeps the first hop.
 * Issue line numbers are the 1-based position of the route in the JSON array.
 */
import type { Route } from '@/lib/model/interfaces';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';
import { parseJsonWithPosition } from '@/lib/parse/json-position';
import { normalizeDestination } from '@/lib/parse/route-destination';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Parse `ip -j route` output. */
export function parseIpRouteJson(text: string, opts: ParseOptions = {}): ParseResult<Route[]> {
  const sink = new IssueSink('ip -j route', opts.strict);
  const doc = parseJsonWithPosition(text, sink);
  if (doc === undefined) return { value: [], issues: sink.issues };
  if (!Array.isArray(doc)) {
    sink.add(1, text.split('\n')[0] ?? '', 'not ip -j route output (expected a JSON array)');
    return { value: [], issues: sink.issues };
  }
  const routes: Route[] = [];
  doc.forEach((item: unknown, idx: number) => {
    const pos = idx + 1;
    const raw = JSON.stringify(item) ?? '';
    const dst = isObj(item) ? normalizeDestination(String(item.dst ?? '')) : undefined;
    if (!isObj(item) || !dst) {
      sink.add(pos, raw, `route entry without a valid dst`);
      return;
    }
    const r: Route = { destination: dst };
    const type = str(item.type);
    if (type && type !== 'unicast') r.type = type;
    const hop = Array.isArray(item.nexthops) && isObj(item.nexthops[0]) ? item.nexthops[0] : item;
    if (Array.isArray(item.nexthops) && item.nexthops.length > 1) {
      sink.add(pos, raw, `multipath route ${dst}: only the first nexthop is modelled`, 'warning');
    }
    const gw = str(hop.gateway);
    const dev = str(hop.dev);
    if (gw) r.gateway = gw;
    if (dev) r.device = dev;
    const table = str(item.table);
    if (table) r.table = table;
    const proto = str(item.protocol);
    if (proto) r.protocol = proto;
    const scope = str(item.scope);
    if (scope) r.scope = scope;
    const src = str(item.prefsrc);
    if (src) r.source = src;
    if (typeof item.metric === 'number') r.metric = item.metric;
    r.raw = raw;
    routes.push(r);
  });
  return { value: routes, issues: sink.issues };
}
