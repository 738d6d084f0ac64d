/**
 * `ip -j addr` / `ip -j route` JSON → the model's NetInterface / Route, for feeding the tracer the
 * node netns' real addresses and routes. (Kept here so the kernel suites do not depend on the
 * text parsers' progress; the JSON form is iproute2's own and needs no guessing.)
 */
import type { NetInterface, Route } from '@/lib/model/interfaces';

interface IpAddrJson {
  ifindex: number;
  ifname: string;
  link?: string;
  flags?: string[];
  mtu?: number;
  operstate?: string;
  link_type?: string;
  address?: string;
  master?: string;
  addr_info?: { family: string; local: string; prefixlen: number; scope?: string; broadcast?: string; label?: string }[];
}

interface IpRouteJson {
  dst: string;
  type?: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
  metric?: number;
  table?: string;
}

/** Converts `ip -j addr` output. Throws a clear error on non-JSON input. */
export function interfacesFromIpJson(text: string): NetInterface[] {
  const data = JSON.parse(text) as IpAddrJson[];
  return data.map((i) => ({
    index: i.ifindex,
    name: i.ifname,
    link: i.link,
    flags: i.flags ?? [],
    mtu: i.mtu,
    state: i.operstate,
    linkType: i.link_type,
    mac: i.address,
    master: i.master,
    addresses: (i.addr_info ?? [])
      .filter((a) => a.family === 'inet' || a.family === 'inet6')
      .map((a) => ({
        family: a.family as 'inet' | 'inet6',
        address: a.local,
        prefixLength: a.prefixlen,
        scope: a.scope,
        broadcast: a.broadcast,
        label: a.label,
      })),
  }));
}

/** Converts `ip -j route` output; host routes get an explicit /32 (or /128). */
export function routesFromIpJson(text: string): Route[] {
  const data = JSON.parse(text) as IpRouteJson[];
  return data.map((r) => ({
    destination: r.dst === 'default' || r.dst.includes('/') ? r.dst : `${r.dst}/${r.dst.includes(':') ? 128 : 32}`,
    type: r.type ?? 'unicast',
    gateway: r.gateway,
    device: r.dev,
    protocol: r.protocol,
    scope: r.scope,
    source: r.prefsrc,
    metric: r.metric,
    table: r.table,
    raw: JSON.stringify(r),
  }));
}
