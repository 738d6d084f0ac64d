/**
 * Input vocabulary of the production-shaped kube-proxy writer (see iptables.ts): one entry per
 * Service port with its endpoints, as kube-proxy holds them after reading Services and
 * EndpointSlices (from-api.ts builds these from API objects), plus the proxier's flags.
 */
import type { Protocol } from '@/lib/model/trace';
import { kubeBase32Sha256 } from '@/lib/snapshot/chain-names';

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
  /** > 1000 endpoints: kube-proxy drops SVC→SEP and SEP comments. Explicit, never inferred. */
  largeCluster?: boolean;
  masqueradeBit?: number;
  family?: 4 | 6;
}

/** First 16 chars of base32(sha256(s)): kube-proxy's chain-name hash. */
export function kubeHash(s: string): string {
  return kubeBase32Sha256(s).slice(0, 16);
}

export function servicePortName(s: KubeServicePort): string {
  return `${s.ns}/${s.name}${s.portName ? `:${s.portName}` : ''}`;
}
