/**
 * Small, dependency-free IP and CIDR helpers shared by the parsers and the tracer.
 * Addresses are compared as bigints so IPv4 (32 bit) and IPv6 (128 bit) use the same code path.
 * Nothing here throws: invalid input yields `undefined` / `false`.
 */

export type IpFamily = 4 | 6;

export interface ParsedIp {
  family: IpFamily;
  value: bigint;
}

export interface ParsedCidr {
  family: IpFamily;
  /** The network address with host bits cleared (the kernel ignores host bits in a route key). */
  network: bigint;
  prefix: number;
}

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parse a dotted-quad IPv4 address (no leading zeros beyond a single 0, like inet_pton). */
export function parseIPv4(text: string): bigint | undefined {
  const m = V4_RE.exec(text);
  if (!m) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const part = m[i];
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

/** Parse an IPv6 address, including `::` compression and an embedded IPv4 tail (`::ffff:1.2.3.4`). */
export function parseIPv6(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone); // fe80::1%eth0: the zone does not change the address bits
  let tailV4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    tailV4 = parseIPv4(s.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return undefined;
  const splitGroups = (p: string): string[] | undefined => (p === '' ? [] : p.split(':'));
  let groups: string[];
  if (dbl >= 0) {
    const head = splitGroups(s.slice(0, dbl));
    const tail = splitGroups(s.slice(dbl + 2));
    if (!head || !tail) return undefined;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  } else {
    groups = s.split(':');
  }
  if (groups.length !== 8) return undefined;
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

/** Parse either family. */
export function parseIp(text: string): ParsedIp | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIPv6(text);
  if (v6 !== undefined) return { family: 6, value: v6 };
  return undefined;
}

export function isIPv4(text: string): boolean {
  return parseIPv4(text) !== undefined;
}

export function isIPv6(text: string): boolean {
  return parseIPv6(text) !== undefined;
}

export function familyBits(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

function prefixMask(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(familyBits(family));
  const p = BigInt(prefix);
  return ((1n << bits) - 1n) ^ ((1n << (bits - p)) - 1n);
}

/**
 * Parse `a.b.c.d/n`, `v6/n`, or a bare address (treated as a host route /32 or /128).
 * Host bits are cleared, as the kernel does for route keys and ipset hash:net entries.
 */
export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  const addrText = slash >= 0 ? text.slice(0, slash) : text;
  const ip = parseIp(addrText);
  if (!ip) return undefined;
  let prefix = familyBits(ip.family);
  if (slash >= 0) {
    const pt = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(pt)) return undefined;
    prefix = Number(pt);
    if (prefix > familyBits(ip.family)) return undefined;
  }
  return { family: ip.family, network: ip.value & prefixMask(ip.family, prefix), prefix };
}

/** True when `ip` lies inside `cidr` (same family only; an IPv4 address is never inside a v6 CIDR). */
export function cidrContains(cidr: string | ParsedCidr, ip: string | ParsedIp): boolean {
  const c = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  const a = typeof ip === 'string' ? parseIp(ip) : ip;
  if (!c || !a || c.family !== a.family) return false;
  return (a.value & prefixMask(c.family, c.prefix)) === c.network;
}

/** Render an IP (bigint) back to canonical text: dotted quad, or RFC 5952 compressed IPv6. */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Canonical text for an address string, or undefined if it is not an IP. */
export function normalizeIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip.family, ip.value) : undefined;
}

/** `10.0.0.1:80` for IPv4, `[fd00::1]:80` for IPv6 (the form ipvsadm, curl and Go use). */
export function formatEndpoint(ip: string, port: number | string): string {
  return isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * Split `10.0.0.1:80` or `[fd00::1]:80` into address and port. Returns undefined when malformed.
 */
export function parseEndpoint(text: string): { ip: string; port: number } | undefined {
  let ip: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']:');
    if (close < 0) return undefined;
    ip = text.slice(1, close);
    portText = text.slice(close + 2);
    if (!isIPv6(ip)) return undefined;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return undefined;
    ip = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (!isIPv4(ip)) return undefined;
  }
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  return { ip, port };
}
