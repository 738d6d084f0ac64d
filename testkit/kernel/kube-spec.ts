/**
 * The kernel oracle suite's OWN kube-proxy writer, part 1: a small description of the Services
 * on one node, from which kube-rules-current.ts (iptables, v1.26+ layout), kube-rules-old.ts
 * (iptables, pre-1.25 layout) and kube-rules-nft.ts (nftables mode) write rulesets in
 * kube-proxy's restore-input form. Endpoint pools follow kube-proxy's categorisation (docs/kube-proxy-semantics.md
 * §1.3), with every listed endpoint ready.
 *
 * Why a second writer: the tracer's unit tests, the demo and the bench run on the
 * production-shaped writer (testkit/kube-proxy-writer). These files feed the REAL kernel, whose
 * verdicts are the oracle for the tracer's claims; had they been written by the same code, a
 * wrong rule there would reach the kernel and the tracer alike and the two would agree on it.
 * So this writer shares no code with that one or with the product: its own input model, its own
 * hashing (below), its own text. Keep it that way.
 */
import { createHash } from 'node:crypto';

export interface KEndpoint {
  ip: string;
  /** Target port on this endpoint (a named targetPort may differ per endpoint). */
  port: number;
  /** Endpoint runs on the node whose ruleset is written. */
  local: boolean;
}

export interface KPort {
  /** Port name; unnamed ports give comments without `:name`. */
  name?: string;
  proto: 'tcp' | 'udp';
  port: number;
  nodePort?: number;
  endpoints: KEndpoint[];
}

export interface KService {
  ns: string;
  name: string;
  clusterIP: string;
  ports: KPort[];
  externalIPs?: string[];
  lbIPs?: string[];
  sourceRanges?: string[];
  etp?: 'Cluster' | 'Local';
  itp?: 'Cluster' | 'Local';
}

/** kube-proxy's local-traffic detector (`--detect-local-mode`) and `--masquerade-all`. */
export type LocalDetector = { mode: 'cidr' } | { mode: 'interface'; iface: string } | { mode: 'none' };

export interface KNode {
  /** Cluster CIDR for the local-traffic detector (`! -s <cidr>` masquerade). */
  clusterCidr: string;
  /** Default: ClusterCIDR detector. */
  detector?: LocalDetector;
  /** `--masquerade-all`: every ClusterIP packet is marked. */
  masqueradeAll?: boolean;
  /** This node's IPs (used for "node IP inside LB source ranges"). */
  nodeIPs: string[];
  services: KService[];
}

/** Extra, non-kube rules around kube-proxy's, in iptables-restore syntax without `-A CHAIN`. */
export interface HostRules {
  /** Rules for built-in chains of raw / mangle (`{ PREROUTING: [...] }`), e.g. NOTRACK or a MARK. */
  raw?: Record<string, string[]>;
  mangle?: Record<string, string[]>;
  /** filter INPUT rules placed before kube-proxy's jumps. */
  filterInputFirst?: string[];
  /** nat POSTROUTING rules placed before the jump to KUBE-POSTROUTING. */
  natPostroutingFirst?: string[];
  /** Extra nat chains (name → rules without `-A NAME`), e.g. a CNI portmap chain. */
  natChains?: Record<string, string[]>;
  /** filter FORWARD policy (a host firewall); default ACCEPT. */
  forwardPolicy?: 'ACCEPT' | 'DROP';
  /** nat PREROUTING rules placed BEFORE the jump to KUBE-SERVICES. */
  natPreroutingFirst?: string[];
  /** filter FORWARD rules placed before kube-proxy's jumps. */
  filterForwardFirst?: string[];
}

/** `ns/name` or `ns/name:port` as kube-proxy prints it in comments. */
export function portName(svc: KService, port: KPort): string {
  return `${svc.ns}/${svc.name}${port.name ? `:${port.name}` : ''}`;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32 (RFC 4648 alphabet, no padding needed for a prefix) of sha256(text). */
function b32(text: string): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of createHash('sha256').update(text).digest()) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + B32[(value << (5 - bits)) & 31] : out;
}

/** kube-proxy's chain suffix: first 16 base32 chars of sha256(servicePortName + protocol). */
export function svcHash(svc: KService, port: KPort): string {
  return b32(portName(svc, port) + port.proto).slice(0, 16);
}

/** KUBE-SEP suffix: sha256(servicePortName + protocol + ip:port). */
export function sepChain(svc: KService, port: KPort, ep: KEndpoint): string {
  const endpoint = ep.ip.includes(':') ? `[${ep.ip}]:${ep.port}` : `${ep.ip}:${ep.port}`;
  return `KUBE-SEP-${b32(portName(svc, port) + port.proto + endpoint).slice(0, 16)}`;
}

/** nft chain base `HASH8-ns/svc/proto/portName`. */
export function nftServiceBase(svc: KService, port: KPort): string {
  const id = `${svc.ns}/${svc.name}/${port.proto}/${port.name ?? ''}`;
  return `${b32(id).slice(0, 8)}-${id}`;
}

/** nft endpoint chain base `HASH8-ns/svc/proto/portName__ip/port`. */
export function nftEndpointBase(svc: KService, port: KPort, ep: KEndpoint): string {
  const id = `${svc.ns}/${svc.name}/${port.proto}/${port.name ?? ''}__${ep.ip}/${ep.port}`;
  return `${b32(id).slice(0, 8)}-${id}`;
}

export interface Pools {
  cluster: KEndpoint[];
  local: KEndpoint[];
  hasEndpoints: boolean;
  externallyReachable: boolean;
  usesCluster: boolean;
  usesLocal: boolean;
  hasInternal: boolean;
  hasExternal: boolean;
}

/** kube-proxy's endpoint categorisation for one service port (docs/kube-proxy-semantics.md §1.3). */
export function pools(svc: KService, port: KPort): Pools {
  const cluster = port.endpoints;
  const local = port.endpoints.filter((e) => e.local);
  const externallyReachable = !!port.nodePort || !!svc.externalIPs?.length || !!svc.lbIPs?.length;
  const itpLocal = svc.itp === 'Local';
  const etpLocal = svc.etp === 'Local' && externallyReachable;
  return {
    cluster,
    local,
    hasEndpoints: cluster.length > 0,
    externallyReachable,
    usesCluster: !itpLocal || externallyReachable,
    usesLocal: itpLocal || etpLocal,
    hasInternal: itpLocal ? local.length > 0 : cluster.length > 0,
    hasExternal: etpLocal ? local.length > 0 : cluster.length > 0,
  };
}

/** `1/(n-i)` formatted as kube-proxy writes it (10 decimals). */
export function probability(n: number, i: number): string {
  return (1 / (n - i)).toFixed(10);
}

/** True when IPv4 `addr` is inside `cidr`. */
export function inCidr(addr: string, cidr: string): boolean {
  const [base, lenText] = cidr.split('/');
  const len = Number(lenText ?? 32);
  const toInt = (a: string) => a.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return (toInt(addr) & mask) === (toInt(base) & mask);
}
