/**
 * Formatting half of the test/bench builder (kube-rules.ts): writes the iptables-save text that kube-proxy (iptables mode, v1.28+
 * layout) produces for a set of service ports, in iptables-save's canonical form (masks on
 * addresses, `--set-xmark`, 11-decimal probabilities, `-p` before `-m`, chains declared
 * sorted, rules grouped by chain). It follows the rule shapes of kube-proxy-semantics.md §1.3–1.4
 * so the upstream acceptance fixtures can be re-created as real dumps; the round trip through
 * the real iptables-restore/iptables-save is checked in kube-rules.test.ts.
 */
import { createHash } from 'node:crypto';
import type { Protocol } from '@/lib/model/trace';
import { cidrContains, isIPv6 } from '@/lib/net/ip';

export interface KubeEndpoint {
  ip: string;
  /** Defaults to the service port's targetPort (or port). */
  port?: number;
  /** Node the endpoint runs on; undefined = no nodeName (never local). */
  node?: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface KubeServicePort {
  ns: string;
  name: string;
  /** Port name; omit for an unnamed port (comments then read `ns/name`). */
  portName?: string;
  proto?: Protocol;
  port: number;
  targetPort?: number;
  clusterIP: string;
  nodePort?: number;
  externalIPs?: string[];
  lbIPs?: string[];
  sourceRanges?: string[];
  etp?: 'Cluster' | 'Local';
  itp?: 'Cluster' | 'Local';
  /** ClientIP session affinity timeout (seconds). */
  affinitySeconds?: number;
  healthCheckNodePort?: number;
  endpoints: KubeEndpoint[];
}

export interface KubeRulesConfig {
  nodeName?: string;
  /** Node addresses, primary first (LB source-range node check, nodePortAddresses). */
  nodeIPs?: string[];
  /** Cluster CIDR of the local-traffic detector; null = no detector. */
  podCIDR?: string | null;
  masqueradeAll?: boolean;
  /** IPv4 only; default true. */
  localhostNodePorts?: boolean;
  /** CIDRs; when set, `-d <nodeIP>` NodePort dispatch rules replace addrtype LOCAL. */
  nodePortAddresses?: string[];
  /** Emit the 127.0.0.0/8 nfacct NodePort rules (needs the nfacct object on a real node). */
  nfacct?: boolean;
  /** > 1000 endpoints: kube-proxy drops SVC→SEP and SEP comments. */
  largeCluster?: boolean;
  masqueradeBit?: number;
  family?: 4 | 6;
}

/** First 16 chars of base32(sha256(s)): kube-proxy's chain-name hash. */
export function kubeHash(s: string): string {
  const bytes = createHash('sha256').update(s).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= 16) break;
  }
  return out.slice(0, 16);
}

export function servicePortName(s: KubeServicePort): string {
  return `${s.ns}/${s.name}${s.portName ? `:${s.portName}` : ''}`;
}

/** What `iptables-save` prints for kube-proxy's 1/(n−i) (10 decimals in, round(p·2³¹)/2³¹ out). */
export function savedProbability(n: number): string {
  const p10 = Number((1 / n).toFixed(10));
  return (Math.round(p10 * 0x80000000) / 0x80000000).toFixed(11);
}

/** `xtables_save_string` quoting: bare when [A-Za-z0-9_-]+, else double-quoted with escapes. */
export function saveString(s: string): string {
  return /^[A-Za-z0-9_-]+$/.test(s) ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

export const cm = (text: string): string => `-m comment --comment ${saveString(text)}`;

export interface RuleParts {
  s?: string;
  notS?: boolean;
  d?: string;
  notD?: boolean;
  p?: string;
  m?: string[];
  j?: string;
}

function mask(a: string): string {
  return a.includes('/') ? a : `${a}/${isIPv6(a) ? 128 : 32}`;
}

/** One rule body in canonical order: -s -d -p, matches in insertion order, -j. */
export function ruleText(r: RuleParts): string {
  const parts: string[] = [];
  if (r.s) parts.push(`${r.notS ? '! ' : ''}-s ${mask(r.s)}`);
  if (r.d) parts.push(`${r.notD ? '! ' : ''}-d ${mask(r.d)}`);
  if (r.p) parts.push(`-p ${r.p}`);
  parts.push(...(r.m ?? []));
  if (r.j) parts.push(`-j ${r.j}`);
  return parts.join(' ');
}

export const endpointText = (ip: string, port: number): string => (isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`);

/** Chains per table; `add` appends a rule to a chain. */
export class Tables {
  readonly filter = new Map<string, string[]>();
  readonly nat = new Map<string, string[]>();
  add(table: 'filter' | 'nat', chain: string, r: RuleParts | string): void {
    const t = this[table];
    if (!t.has(chain)) t.set(chain, []);
    t.get(chain)!.push(typeof r === 'string' ? r : ruleText(r));
  }
  ensure(table: 'filter' | 'nat', chain: string): void {
    if (!this[table].has(chain)) this[table].set(chain, []);
  }
}

const BUILTIN: Record<'filter' | 'nat', string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/** Render tables as iptables-save does (filter first, built-ins first, user chains sorted). */
export function renderSave(t: Tables, policies: Record<string, string> = {}, family: 4 | 6 = 4): string {
  const out: string[] = [`# Generated by ${family === 6 ? 'ip6tables-save' : 'iptables-save'} v1.8.9 (nf_tables) on Sun Nov 22 00:00:00 2026`];
  for (const table of ['filter', 'nat'] as const) {
    const chains = t[table];
    out.push(`*${table}`);
    for (const b of BUILTIN[table]) out.push(`:${b} ${policies[`${table}/${b}`] ?? 'ACCEPT'} [0:0]`);
    const user = [...chains.keys()].filter((c) => !BUILTIN[table].includes(c)).sort();
    for (const c of user) out.push(`:${c} - [0:0]`);
    for (const c of [...BUILTIN[table], ...user]) for (const r of chains.get(c) ?? []) out.push(`-A ${c} ${r}`);
    out.push('COMMIT', '# Completed on Sun Nov 22 00:00:00 2026');
  }
  return `${out.join('\n')}\n`;
}

export { cidrContains };
