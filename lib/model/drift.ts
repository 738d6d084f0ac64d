/**
 * Drift findings: where a node's programmed rules differ from the API's Services and
 * EndpointSlices (lib/snapshot/drift.ts computes them).
 */

export type DriftKind =
  | 'missing-service' // a Service port with endpoints has no KUBE-SVC chain on the node
  | 'missing-endpoint' // an API endpoint is not a DNAT target in the node's chain
  | 'stale-endpoint' // the node still DNATs to an endpoint the API no longer lists
  | 'stale-pod' // ... and no current pod has that IP (rules for a deleted pod)
  | 'stale-service' // a KUBE-SVC chain for a Service port that no longer exists
  | 'missing-no-endpoints-reject' // Service port without endpoints but no "has no endpoints" rule
  | 'mode-mismatch'
  | 'lagging'
  | 'not-checked';

export interface DriftFinding {
  kind: DriftKind;
  node: string;
  message: string;
  service?: string;
  chain?: string;
  endpoint?: string;
  /** The rule that shows it, when there is one. */
  rule?: { line: number; raw: string };
}

export interface DriftReport {
  checkedNodes: string[];
  findings: DriftFinding[];
}
