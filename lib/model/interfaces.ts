/** `ip addr` / `ip -j addr` and `ip route` / `ip -j route`, as plain data. */

export interface InterfaceAddress {
  family: 'inet' | 'inet6';
  address: string;
  prefixLength: number;
  scope?: string;
  broadcast?: string;
  label?: string;
}

export interface NetInterface {
  index: number;
  name: string;
  /** `veth-a@if2` → link 'if2' */
  link?: string;
  flags: string[];
  mtu?: number;
  state?: string;
  linkType?: string;
  mac?: string;
  master?: string;
  addresses: InterfaceAddress[];
}

export interface Route {
  /** 'default' or a CIDR (host routes get /32 or /128). */
  destination: string;
  type?: string; // unicast, local, broadcast, unreachable, blackhole, ...
  gateway?: string;
  device?: string;
  protocol?: string;
  scope?: string;
  source?: string;
  metric?: number;
  table?: string;
  raw?: string;
}
