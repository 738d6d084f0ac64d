/**
 * An incident report: what was asked, what the dataplane answered, and the evidence it rests on.
 * The JSON form is a versioned bundle kubepath can reopen and replay (the node's raw captures ride
 * along, redacted), so a colleague re-runs exactly the same trace offline.
 */
import type { Packet, TraceResult } from './trace';
import type { NodeCapture } from './snapshot';

export const REPORT_SCHEMA = 'kubepath.report/v1';

export type ReportQuestion =
  | { kind: 'trace'; node: string; packet: Packet }
  | { kind: 'dns'; node?: string; pod?: string; name: string; resolver: 'glibc' | 'musl' };

export interface ReportNodeStatus {
  name: string;
  via: string;
  capturedAt: string;
  collected: boolean;
  error?: string;
  proxyMode?: string;
}

export interface ReportEvidence {
  node: string;
  kind: string;
  command: string;
  sha256: string;
  bytes: number;
}

export interface IncidentReport {
  schema: typeof REPORT_SCHEMA;
  id: string;
  createdAt: string;
  createdBy: string;
  cluster: { name: string; context?: string; server?: string };
  /** When the snapshot the answer rests on was taken. */
  snapshotCapturedAt: string;
  question: ReportQuestion;
  /** One sentence an SRE can paste into a channel. */
  summary: string;
  trace?: TraceResult;
  /** DNS answer (lib/dns result), when the question is a DNS one. */
  dns?: unknown;
  findings: string[];
  nodes: ReportNodeStatus[];
  evidence: ReportEvidence[];
  /** The node capture the trace was computed from, redacted: enough to replay the trace exactly. */
  replay?: { node: NodeCapture };
}
