/**
 * Service specs and kube-proxy's chain-name hashing, shared by the dump generator
 * (bench/gen-iptables.ts) and the fixture capture script.
 */
import { createHash } from 'node:crypto';

export interface EndpointSpec {
  ip: string;
  port: number;
  /** On this node (decides KUBE-SVL membership). */
  local: boolean;
}

export interface ServicePortSpec {
  namespace: string;
  name: string;
  /** Omitted for unnamed ports: comments then read `ns/svc` instead of `ns/svc:port`. */
  portName?: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  clusterIP: string;
  port: number;
  nodePort?: number;
  externalIPs?: string[];
  loadBalancerIPs?: string[];
  /** loadBalancerSourceRanges (KUBE-FW chain + KUBE-PROXY-FIREWALL drop). */
  sourceRanges?: string[];
  externalTrafficLocal?: boolean;
  internalTrafficLocal?: boolean;
  /** ClientIP session affinity timeout in seconds. */
  affinitySeconds?: number;
  healthCheckNodePort?: number;
  endpoints: EndpointSpec[];
}

/** `ns/svc:port` (or `ns/svc` for an unnamed port), as kube-proxy writes it in comments. */
export function servicePortName(s: ServicePortSpec): string {
  return s.portName ? `${s.namespace}/${s.name}:${s.portName}` : `${s.namespace}/${s.name}`;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32 (RFC 4648 alphabet) of the first bytes, enough for 16 output characters. */
function base32Prefix16(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < bytes.length && out.length < 16; i++) {
    acc = (acc << 8) | bytes[i];
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** kube-proxy's chain suffix: first 16 chars of base32(sha256(servicePortName + protocol [+ endpoint])). */
export function chainHash(text: string): string {
  return base32Prefix16(createHash('sha256').update(text).digest());
}

export function svcHash(s: ServicePortSpec): string {
  return chainHash(`${servicePortName(s)}${s.protocol}`);
}

export function endpointString(e: EndpointSpec): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

export function sepChain(s: ServicePortSpec, e: EndpointSpec): string {
  return `KUBE-SEP-${chainHash(`${servicePortName(s)}${s.protocol}${endpointString(e)}`)}`;
}

/**
 * The probability iptables-save prints for `--probability p`: the kernel stores
 * round(p * 2^31) and iptables prints it back divided by 2^31 with `%.11f`.
 */
export function savedProbability(p: number): string {
  return (Math.round(p * 0x80000000) / 0x80000000).toFixed(11);
}

/**
 * Synthetic services for the bench: mostly ClusterIP, with a share of NodePort,
 * LoadBalancer (some with source ranges), ETP=Local, ITP=Local, affinity and no-endpoint ones,
 * roughly the mix of a large real cluster. Deterministic for a given count.
 */
export function syntheticServices(count: number, endpointsPerService: number): ServicePortSpec[] {
  const out: ServicePortSpec[] = [];
  for (let i = 0; i < count; i++) {
    const a = (i >> 8) & 255;
    const b = i & 255;
    const endpoints: EndpointSpec[] = [];
    const noEndpoints = i % 97 === 13;
    for (let e = 0; !noEndpoints && e < endpointsPerService; e++) {
      const n = i * endpointsPerService + e;
      endpoints.push({ ip: `10.${128 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`, port: 8080, local: e % 3 === 0 });
    }
    const s: ServicePortSpec = {
      namespace: `ns${i % 50}`,
      name: `svc-${i}`,
      portName: i % 4 === 0 ? undefined : 'http',
      protocol: i % 10 === 7 ? 'udp' : 'tcp',
      clusterIP: `10.96.${a}.${b}`,
      port: 80,
      endpoints,
    };
    if (i % 10 === 1 || i % 10 === 2) s.nodePort = 30000 + (i % 2768);
    if (i % 10 === 2) {
      s.loadBalancerIPs = [`203.0.${a}.${b}`];
      if (i % 20 === 2) s.sourceRanges = ['198.51.100.0/24', '192.0.2.0/25'];
      if (i % 30 === 2) {
        s.externalTrafficLocal = true;
        s.healthCheckNodePort = 32000 + (i % 700);
      }
    }
    if (i % 50 === 5) s.internalTrafficLocal = true;
    if (i % 25 === 3) s.affinitySeconds = 10800;
    out.push(s);
  }
  return out;
}
