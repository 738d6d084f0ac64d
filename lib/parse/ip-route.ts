/**
 * Parser for `ip route` / `ip -6 route` / `ip route show table all` text into Route[].
 *
 *   default via 192.168.77.1 dev eth0 proto static metric 100
 *   10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 linkdown
 *   local 10.96.0.1 dev kube-ipvs0 table local proto kernel scope host src 10.96.0.1
 *   blackhole fd00:10:244:3::/64 dev lo metric 1024 pref medium
 * A leading route type (local, broadcast, blackhole, unreachable, ...) is optional (unicast).
 * Host destinations get /32 or /128. No `table` word means the main table.
 * Multipath routes (`nexthop via ... dev ...` continuation lines) keep the first hop and warn.
 * `ip -j route` is handled by ip-route-json.ts; `parseIpRoute` detects JSON.
 */
import type { Route } from '@/lib/model/interfaces';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';
import { isIPv4, parseCidr } from '@/lib/net/ip';
import { parseIpRouteJson } from '@/lib/parse/ip-route-json';
import { normalizeDestination } from '@/lib/parse/route-destination';

export const ROUTE_TYPES = new Set([
  'unicast',
  'local',
  'broadcast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'anycast',
]);
/** Keywords followed by one value; kept in the Route when the model has a field for them. */
const VALUE_KEYS = new Set([
  'via',
  'dev',
  'table',
  'proto',
  'scope',
  'src',
  'metric',
  'pref',
  'mtu',
  'expires',
  'nhid',
  'realm',
  'realms',
  'tos',
  'dsfield',
  'advmss',
  'hoplimit',
  'initcwnd',
  'initrwnd',
  'rtt',
  'rttvar',
  'quickack',
  'congctl',
  'weight',
  'error',
  'from',
  'window',
  'features',
  'fastopen_no_cookie',
  'ttl-propagate',
]);
/** Bare words that are route flags. */
const FLAG_WORDS = new Set([
  'cache',
  'onlink',
  'linkdown',
  'pervasive',
  'offload',
  'trap',
  'rt_offload',
  'rt_trap',
  'dead',
  'notify',
  'cloned',
]);

/** Parse the words of one route line (shared with multipath continuation handling). */
function parseRouteWords(words: string[]): Route | string {
  let i = 0;
  let type: string | undefined;
  if (ROUTE_TYPES.has(words[0]) && words.length > 1) type = words[i++];
  const destination = normalizeDestination(words[i] ?? '');
  if (!destination) return `bad route destination "${words[i] ?? ''}"`;
  const route: Route = { destination };
  if (type && type !== 'unicast') route.type = type;
  for (i++; i < words.length; i++) {
    const w = words[i];
    if (FLAG_WORDS.has(w)) continue;
    if (!VALUE_KEYS.has(w)) return `unrecognised route attribute "${w}"`;
    let v = words[++i];
    // `via inet6 fe80::1` (a gateway of the other family) names the family first
    if (w === 'via' && (v === 'inet' || v === 'inet6')) v = words[++i];
    if (v === undefined) return `"${w}" without a value`;
    if (w === 'via') route.gateway = v;
    else if (w === 'dev') route.device = v;
    else if (w === 'table') route.table = v;
    else if (w === 'proto') route.protocol = v;
    else if (w === 'scope') route.scope = v;
    else if (w === 'src') route.source = v;
    else if (w === 'metric') {
      if (!/^\d+$/.test(v)) return `bad metric "${v}"`;
      route.metric = Number(v);
    }
  }
  return route;
}

/** Parse `ip route` text (or `ip -j route` JSON, detected). */
export function parseIpRoute(text: string, opts: ParseOptions = {}): ParseResult<Route[]> {
  if (/^\s*\[/.test(text)) return parseIpRouteJson(text, opts);
  const sink = new IssueSink('ip route', opts.strict);
  const routes: Route[] = [];
  const lines = text.split('\n');
  let last: Route | undefined;
  let lastHasHop = false;
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const line = lines[n].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const words = line.trim().split(/\s+/);
    if (words[0] === 'nexthop' && last) {
      // ECMP: the kernel hashes flows over the hops; the model holds one, so keep the first.
      const hop = parseRouteWords(['0.0.0.0/0', ...words.slice(1)]);
      if (typeof hop === 'string') sink.add(lineNo, line, hop);
      else if (!lastHasHop) {
        Object.assign(last, { gateway: hop.gateway, device: hop.device });
        lastHasHop = true;
      } else
        sink.add(lineNo, line, `multipath route ${last.destination}: only the first nexthop is modelled`, 'warning');
      continue;
    }
    if (/^\s/.test(line) && last) {
      sink.add(lineNo, line, 'unrecognised continuation line', 'warning');
      continue;
    }
    const r = parseRouteWords(words);
    if (typeof r === 'string') {
      sink.add(lineNo, line, r);
      continue;
    }
    r.raw = line;
    routes.push(r);
    last = r;
    lastHasHop = false;
  }
  return { value: routes, issues: sink.issues };
}

/** The address family a route applies to, when it can be told (a `default` route needs a hint). */
export function routeFamily(r: Route): 4 | 6 | undefined {
  if (r.destination !== 'default') return parseCidr(r.destination)?.family;
  const hint = r.gateway ?? r.source;
  if (!hint) return undefined;
  return isIPv4(hint) ? 4 : parseCidr(hint)?.family;
}
