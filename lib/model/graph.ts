/**
 * The trace graph's vocabulary: what the console draws for one TraceResult (lib/graph builds it),
 * and the pod identity the graph, the API and the reports name endpoints by. Plain data.
 */
import type { Answer } from '@/lib/model/answer';

/** A pod as the graph and the API name it. */
export interface PodRef {
  namespace: string;
  name: string;
  node?: string;
}

/** A rule the tracer cited: where it lives in the capture and its exact text. */
export interface RuleRef {
  table: string;
  chain: string;
  /** 1-based line in the capture (0 for synthetic steps such as a policy or a routing decision). */
  line: number;
  raw: string;
  effect: string;
  why: string;
}

export type GraphNodeKind =
  | 'source' // the packet's origin (pod, node or outside address)
  | 'hook' // a built-in netfilter hook chain (nat PREROUTING, filter FORWARD, ...)
  | 'chain' // a user chain (KUBE-SERVICES, KUBE-SVC-*, nft chain, ...)
  | 'ipvs' // an IPVS virtual server lookup
  | 'route' // a routing decision
  | 'endpoint' // where a DNATed / accepted packet ends up
  | 'group' // a large endpoint fan-out: one box when collapsed, a frame of endpoint tiles when expanded
  | 'verdict'; // DROP / REJECT

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** Text label (never HTML). */
  label: string;
  /** Kubernetes meaning: 'service', 'endpoint', 'external', 'firewall', ... */
  role?: string;
  /** Service `ns/name:port` the chain belongs to, when known. */
  service?: string;
  /** Rules of this chain that the packet hit, in capture order. */
  rules: RuleRef[];
  /** For endpoints: the pod reached, when the snapshot knows it. */
  pod?: { namespace: string; name: string; node?: string };
  /** For endpoint and verdict nodes: probability of ending here (0..1). */
  probability?: number;
  masquerade?: boolean;
  /** For group nodes: how many endpoints the fan-out has. */
  count?: number;
  /** For group nodes: drawn open, as a frame holding one tile per endpoint. */
  expanded?: boolean;
  /** For an endpoint tile: the expanded group (frame) it is drawn in. */
  parent?: string;
  /** For an endpoint tile: the per-endpoint chain folded into it (e.g. "nat KUBE-SEP-…"). */
  via?: string;
  /** For endpoint, group and verdict nodes: what the client sees there (only `delivered` is drawn as success). */
  answer?: Answer | 'mixed';
  /** For endpoints: the rules DNAT to an address no pod in the API has (a stale rule). */
  stale?: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Share of new connections that take this edge (0..1). */
  probability: number;
  /** The rules that moved the packet along this edge. */
  rules: RuleRef[];
  /** The flow is SNATed (masqueraded) on its way out. */
  masquerade?: boolean;
  /** 'flow' between hooks, 'jump'/'goto' into a chain, 'dnat' to an endpoint, 'verdict'. */
  kind: 'flow' | 'jump' | 'goto' | 'dnat' | 'accept' | 'verdict' | 'ipvs';
  /** For edges into an endpoint: what the client sees there. */
  answer?: Answer | 'mixed';
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Ids of group nodes that may be expanded, with their member count. */
  groups: { id: string; count: number; expanded: boolean }[];
}
