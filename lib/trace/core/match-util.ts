/**
 * Small helpers shared by the iptables match evaluators: cached CIDR parsing, port specs,
 * interface wildcards and option access. Parsing is cached because the same `-d 10.96.0.1/32`
 * text is evaluated for every trace against a dump that can hold 100k rules.
 */
import { parseCidr, parseIp, normalizeIp } from '@/lib/net/ip';
import type { ParsedCidr, ParsedIp } from '@/lib/net/ip';
import type { RuleOption, MatchModule } from '@/lib/model/netfilter';

/** A parsed CIDR with its mask precomputed (bigint masks are costly to rebuild per match). */
export type MaskedCidr = ParsedCidr & { mask: bigint };

const cidrCache = new Map<string, MaskedCidr | null>();
const ipCache = new Map<string, ParsedIp | null>();

export function cachedCidr(text: string): MaskedCidr | undefined {
  let c = cidrCache.get(text);
  if (c === undefined) {
    const p = parseCidr(text);
    const bits = p ? BigInt(p.family === 4 ? 32 : 128) : 0n;
    c = p ? { ...p, mask: ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(p.prefix))) - 1n) } : null;
    if (cidrCache.size > 200_000) cidrCache.clear();
    cidrCache.set(text, c);
  }
  return c ?? undefined;
}

export function cachedIp(text: string): ParsedIp | undefined {
  let c = ipCache.get(text);
  if (c === undefined) {
    c = parseIp(text) ?? null;
    if (ipCache.size > 200_000) ipCache.clear();
    ipCache.set(text, c);
  }
  return c ?? undefined;
}

const normCache = new Map<string, string | null>();

/** normalizeIp with a cache (the same few addresses are normalised thousands of times). */
export function normIp(text: string): string | undefined {
  let v = normCache.get(text);
  if (v === undefined) {
    v = normalizeIp(text) ?? null;
    if (normCache.size > 100_000) normCache.clear();
    normCache.set(text, v);
  }
  return v ?? undefined;
}

/** `ip` inside `cidr` (a bare address is a /32 or /128). Unparseable input never matches. */
export function inCidr(cidr: string, ip: string): boolean {
  const c = cachedCidr(cidr);
  const a = cachedIp(ip);
  return !!c && !!a && c.family === a.family && (a.value & c.mask) === c.network;
}

/** `80`, `80:90`, `:1024`, `1024:` (iptables port spec) contains `port`. */
export function portInSpec(spec: string, port: number): boolean {
  const colon = spec.indexOf(':');
  if (colon < 0) return Number(spec) === port;
  const lo = colon === 0 ? 0 : Number(spec.slice(0, colon));
  const hi = colon === spec.length - 1 ? 65535 : Number(spec.slice(colon + 1));
  return port >= lo && port <= hi;
}

/** multiport list `80,443,8000:8080`. */
export function portInList(list: string, port: number): boolean {
  return list.split(',').some((s) => portInSpec(s, port));
}

/** iptables interface match: exact, or prefix when the name ends in `+`. */
export function ifaceMatches(pattern: string, name: string): boolean {
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** Option name without leading dashes (parsers may keep or drop them). */
export function optName(o: RuleOption): string {
  return o.name.replace(/^-+/, '');
}

export function findOpt(m: { options: RuleOption[] }, ...names: string[]): RuleOption | undefined {
  return m.options.find((o) => names.includes(optName(o)));
}

/** Parse `0x4000/0x4000` or `0x4000` into value and mask (mask defaults to all ones). */
export function parseMarkMask(text: string): { value: number; mask: number } {
  const [v, m] = text.split('/');
  return { value: Number(v) >>> 0, mask: m === undefined ? 0xffffffff : Number(m) >>> 0 };
}

export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** Render a module for messages: `-m foo --a b`. */
export function moduleText(m: MatchModule): string {
  const opts = m.options.map(
    (o) => `${o.negated ? '! ' : ''}--${optName(o)}${o.values.length ? ` ${o.values.join(' ')}` : ''}`,
  );
  return [`-m ${m.name}`, ...opts].join(' ');
}

/** `ip:port` / `[ip]:port` without re-parsing the address (hot path; input is already an IP). */
export function fmtEndpoint(ip: string, port: number | string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
