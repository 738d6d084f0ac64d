/**
 * Route lookup as the kernel's FIB does it with the default policy rules
 * (`ip rule`: 0 → table local, 32766 → table main, 32767 → table default):
 *   1. the tables are tried in that order; the first table with a matching route decides,
 *      except that a `throw` route sends the lookup on to the next table;
 *   2. inside a table the longest prefix wins; among equal prefixes the lowest metric.
 * Routes without a `table` are main-table routes (`ip route` prints only main, unlabelled).
 * The local table holds `local` routes (node addresses, including kube-ipvs0 ClusterIPs) and
 * `broadcast` routes: a hit there means local delivery (INPUT) rather than FORWARD.
 * Custom tables reached only through `ip rule` policy (e.g. table 100) are not consulted.
 */
import type { Route } from '@/lib/model/interfaces';
import { parseCidr, parseIp } from '@/lib/net/ip';
import { routeFamily } from '@/lib/parse/ip-route';

const TABLE_ORDER = ['local', 'main', 'default'];

function tableOf(r: Route): string {
  return r.table ?? 'main';
}

/**
 * The route the kernel would use for `dstIP`, or undefined when no route matches
 * (the kernel then answers "Network is unreachable"). A returned route may itself be of type
 * blackhole / unreachable / prohibit: the caller decides what that means for the packet.
 */
export function routeLookup(routes: Route[], dstIP: string): Route | undefined {
  const ip = parseIp(dstIP);
  if (!ip) return undefined;
  for (const table of TABLE_ORDER) {
    let best: { route: Route; prefix: number } | undefined;
    for (const r of routes) {
      if (tableOf(r) !== table) continue;
      let prefix: number;
      if (r.destination === 'default') {
        const fam = routeFamily(r);
        if (fam !== undefined && fam !== ip.family) continue;
        prefix = 0;
      } else {
        const c = parseCidr(r.destination);
        if (!c || c.family !== ip.family) continue;
        const bits = BigInt((ip.family === 4 ? 32 : 128) - c.prefix);
        if (ip.value >> bits !== c.network >> bits) continue;
        prefix = c.prefix;
      }
      const better =
        !best || prefix > best.prefix || (prefix === best.prefix && (r.metric ?? 0) < (best.route.metric ?? 0));
      if (better) best = { route: r, prefix };
    }
    if (best && best.route.type !== 'throw') return best.route;
  }
  return undefined;
}

/** True when the lookup ends in the local table as a `local` route: the packet is for this host. */
export function isLocalDelivery(routes: Route[], dstIP: string): boolean {
  const r = routeLookup(routes, dstIP);
  return r?.type === 'local';
}
