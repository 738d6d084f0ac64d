/**
 * A cluster snapshot: what was collected, when, from where. Versioned JSON; the raw captures are
 * kept verbatim with their sha256 so any answer can be re-derived (and cited in a report).
 */
import type { ApiObjects } from './k8s';

export const SNAPSHOT_SCHEMA = 'kubepath.snapshot/v1';

/** The fixed set of things an agent may capture; the command strings live in agents/commands.ts. */
export type CaptureKind =
  | 'iptables-save'
  | 'ip6tables-save'
  | 'iptables-legacy-save'
  | 'ip6tables-legacy-save'
  | 'ipvsadm'
  | 'ipvsadm-stats'
  | 'ipset'
  | 'nft'
  | 'ip-addr'
  | 'ip-route'
  | 'conntrack'
  | 'resolv.conf'
  | 'cni'
  | 'kube-proxy-mode'
  | 'hostname';

export interface RawCapture {
  command: string;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  sha256: string;
  /** Output was cut at the agent's cap. */
  truncated?: boolean;
  /** Why the command did not produce usable output (timeout, missing binary, ...). */
  error?: string;
  durationMs?: number;
}

export interface PodNetnsCapture {
  /** Pod identity when known (matched from the API by IP), else the netns/pid. */
  pod?: { namespace: string; name: string };
  pid: number;
  netns?: string;
  ipAddr: RawCapture;
  resolvConf?: RawCapture;
}

export type NodeErrorKind =
  'unreachable' | 'auth' | 'host-key' | 'timeout' | 'command' | 'output-too-large' | 'missing-binary' | 'internal';

export interface NodeError {
  kind: NodeErrorKind;
  message: string;
}

export interface NodeCapture {
  name: string;
  /** How it was collected: 'ssh root@10.0.0.1:22', 'pod-agent', 'file', 'lab'. */
  via: string;
  capturedAt: string;
  proxyMode?: 'iptables' | 'ipvs' | 'nftables' | 'userspace' | 'unknown';
  captures: Partial<Record<CaptureKind, RawCapture>>;
  /** CNI config files by path. */
  cniFiles?: Record<string, RawCapture>;
  pods?: PodNetnsCapture[];
  /** Set when the node could not be collected (the others still are). */
  error?: NodeError;
  /** Per-command failures that did not fail the node. */
  warnings?: string[];
}

export interface ClusterSnapshot {
  schema: typeof SNAPSHOT_SCHEMA;
  cluster: { name: string; context?: string; server?: string };
  capturedAt: string;
  capturedBy?: string;
  nodes: NodeCapture[];
  api?: ApiObjects;
  /** Free-form description (the demo snapshot explains its scenarios here). */
  description?: string;
}
