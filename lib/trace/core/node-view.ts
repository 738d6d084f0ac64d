/**
 * What the tracer knows about the node itself: which addresses are local (for routing and
 * `addrtype LOCAL`), which interface owns them, and where a destination is routed.
 * Built once per trace from TraceInputs; every guess it has to make is recorded in `assumptions`.
 */
import type { Route } from '@/lib/model/interfaces';
import { parseIp, parseCidr, cidrContains, normalizeIp } from '@/lib/net/ip';
import type { ParsedCidr, ParsedIp } from '@/lib/net/ip';
import { normIp, inCidr } from '@/lib/trace/core/match-util';
import type { TraceInputs } from '@/lib/model/trace-inputs';

export interface RouteChoice {
  device?: string;
  gateway?: string;
  /** 'local' when the kernel's local table owns the address. */
  type?: string;
  raw?: string;
}

export interface NodeView {
  /** True when ip addr / route data or --local-ip told us the node's addresses. */
  addressesKnown: boolean;
  isLocal(ip: string): boolean;
  /** Interface that carries a local address (kube-ipvs0 for IPVS VIPs), if known. */
  interfaceOf(ip: string): string | undefined;
  /** Longest-prefix route for a non-local destination, if routes are known. */
  route(dst: string): RouteChoice | undefined;
  /** Interface a packet from `src` most likely arrives on (reverse route), if routes are known. */
  ingressFor(src: string): string | undefined;
  /** First address of an interface in the given family (REDIRECT's new destination). */
  addressOf(iface: string, v6: boolean): string | undefined;
  /** True when `name` is a Linux bridge (its ports' traffic passes br_netfilter). */
  isBridge(name: string): boolean;
  /** Global notes about how locality was decided (shown once per trace). */
  assumptions: string[];
}

interface ParsedRoute {
  cidr: ParsedCidr;
  route: Route;
}

const cache = new WeakMap<TraceInputs, Map<string, NodeView>>();

/**
 * The node view for `inputs`, built once per inputs object and `tag` (inputs are treated as
 * immutable once traced: a node with 5000 pod routes should not be re-sorted per trace).
 */
export function nodeViewFor(inputs: TraceInputs, tag = '', extraLocal: () => string[] = () => []): NodeView {
  let m = cache.get(inputs);
  if (!m) cache.set(inputs, (m = new Map()));
  let v = m.get(tag);
  if (!v) m.set(tag, (v = buildNodeView(inputs, extraLocal())));
  return v;
}

/** Build the node view. `extraLocal` adds addresses (e.g. IPVS VIPs when ip addr is missing). */
export function buildNodeView(inputs: TraceInputs, extraLocal: string[] = []): NodeView {
  const local = new Map<string, string | undefined>();
  const add = (ip: string, dev?: string): void => {
    const n = normalizeIp(ip);
    if (n && !local.has(n)) local.set(n, dev);
  };
  for (const itf of inputs.interfaces ?? []) for (const a of itf.addresses) add(a.address, itf.name);
  const routes: ParsedRoute[] = [];
  for (const r of inputs.routes ?? []) {
    // The kernel's `local` table decides LOCAL for addrtype and for the routing decision.
    if (r.type === 'local') {
      const c = parseCidr(r.destination);
      if (c && c.prefix === (c.family === 4 ? 32 : 128)) add(r.destination.split('/')[0], r.device);
    }
    const dest = r.destination === 'default' ? null : parseCidr(r.destination);
    if (r.destination === 'default') {
      const fam = r.gateway && r.gateway.includes(':') ? 6 : 4;
      routes.push({ cidr: { family: fam, network: 0n, prefix: 0 }, route: r });
    } else if (dest) routes.push({ cidr: dest, route: r });
  }
  for (const ip of inputs.localIPs ?? []) add(ip);
  for (const ip of extraLocal) add(ip);
  const addressesKnown =
    (inputs.interfaces?.length ?? 0) > 0 ||
    (inputs.localIPs?.length ?? 0) > 0 ||
    routes.some((r) => r.route.type === 'local');
  const assumptions: string[] = [];
  if (!addressesKnown) {
    assumptions.push(
      'no ip addr / route data and no --local-ip: only loopback addresses are treated as local to the node (node IPs unknown)',
    );
  }
  const localRanges: ParsedCidr[] = [parseCidr('127.0.0.0/8')!, parseCidr('::1/128')!];
  const routeSorted = routes.filter(
    (r) => r.route.type !== 'local' && (r.route.table === undefined || r.route.table === 'main'),
  );
  routeSorted.sort((a, b) => b.cidr.prefix - a.cidr.prefix);
  const lookup = (ip: string): RouteChoice | undefined => {
    const p: ParsedIp | undefined = parseIp(ip);
    if (!p) return undefined;
    for (const r of routeSorted) {
      if (r.cidr.family === p.family && cidrContains(r.cidr, p)) {
        return { device: r.route.device, gateway: r.route.gateway, type: r.route.type, raw: r.route.raw };
      }
    }
    return undefined;
  };
  return {
    addressesKnown,
    isLocal(ip: string): boolean {
      const n = normIp(ip);
      if (!n) return false;
      if (local.has(n)) return true;
      return n.startsWith('127.') ? inCidr('127.0.0.0/8', n) : n === '::1';
    },
    interfaceOf(ip: string): string | undefined {
      const n = normalizeIp(ip);
      if (!n) return undefined;
      if (local.has(n)) return local.get(n);
      return localRanges.some((c) => cidrContains(c, n)) ? 'lo' : undefined;
    },
    route: lookup,
    addressOf: (iface: string, v6: boolean) =>
      inputs.interfaces
        ?.find((i) => i.name === iface)
        ?.addresses.find((a) => (a.family === 'inet6') === v6 && a.scope !== 'link')?.address,
    isBridge: (name: string) =>
      (inputs.interfaces ?? []).some((i) => (i.name === name && i.linkType === 'bridge') || i.master === name),
    ingressFor: (src: string) => lookup(src)?.device,
    assumptions,
  };
}
