/**
 * The console's read-only views of a cluster snapshot: the overview, the Service list rows and,
 * per node and Service port, what the dataplane holds against what the API says (drift).
 */
import type { AppError } from '@/lib/errors';
import type { ServiceModel } from '@/lib/model/k8s';
import type { NodeError } from '@/lib/model/snapshot';

export interface NodeSummary {
  name: string;
  via: string;
  capturedAt: string;
  proxyMode: string;
  error?: NodeError;
  warnings: string[];
  captureKinds: string[];
  podNetns: number;
}

export interface ServiceSummary {
  key: string; // ns/name
  namespace: string;
  name: string;
  type: ServiceModel['type'];
  clusterIP: string;
  ports: string; // "80/TCP, 53/UDP"
  ready: number;
  total: number;
  /** Has a ClusterIP (or external address) but no ready endpoint anywhere. */
  noReady: boolean;
  /** First port, for the list's "Trace this ClusterIP" button; absent when there is no ClusterIP to trace. */
  trace?: { port: number; proto: 'tcp' | 'udp' | 'sctp' };
}

export interface Overview {
  cluster: string;
  capturedAt: string;
  description?: string;
  nodes: NodeSummary[];
  services: number;
  endpoints: number;
  readyEndpoints: number;
  servicesWithoutReady: number;
  apiNotes: { resource: string; reason: string }[];
}

export interface NodePortDataplane {
  node: string;
  port: string; // "http 80/TCP"
  error?: AppError;
  drift?: PortDrift;
  traceHref: string;
}

export interface PortDrift {
  /** `ip:port` kube-proxy should DNAT the ClusterIP to on this node. */
  expected: string[];
  /** `ip:port` the node's rules actually DNAT to. */
  actual: string[];
  missing: string[];
  extra: string[];
  /** What an empty expected set should produce: REJECT (no endpoints) or DROP (ITP=Local, none local). */
  expectedVerdict: 'dnat' | 'reject' | 'drop';
  actualVerdicts: string[];
  drift: boolean;
}
