/**
 * Builds an IncidentReport from a snapshot and an already computed answer. Pure: the caller runs the
 * tracer (or the DNS model); this module only gathers evidence and redacts.
 */
import { createHash } from 'node:crypto';
import type { ClusterSnapshot, NodeCapture } from '@/lib/model/snapshot';
import type { Packet, TraceResult } from '@/lib/model/trace';
import { REPORT_SCHEMA, type IncidentReport, type ReportEvidence, type ReportNodeStatus } from '@/lib/model/report';
import { redactDeep, type RedactionRules } from '@/lib/redact/redact';
import { summarizeTrace } from './summarize';

export interface TraceReportInput {
  snapshot: ClusterSnapshot;
  node: string;
  packet: Packet;
  trace: TraceResult;
  createdBy: string;
  findings?: string[];
  redaction?: RedactionRules;
  now?: Date;
}

export function nodeStatuses(snapshot: ClusterSnapshot): ReportNodeStatus[] {
  return snapshot.nodes.map((n) => ({
    name: n.name,
    via: n.via,
    capturedAt: n.capturedAt,
    collected: !n.error,
    error: n.error ? `${n.error.kind}: ${n.error.message}` : undefined,
    proxyMode: n.proxyMode,
  }));
}

/** sha256 digests of the raw captures an answer for `node` rests on. */
export function evidenceFor(node: NodeCapture): ReportEvidence[] {
  const out: ReportEvidence[] = [];
  for (const [kind, cap] of Object.entries(node.captures)) {
    if (!cap) continue;
    out.push({ node: node.name, kind, command: cap.command, sha256: cap.sha256, bytes: Buffer.byteLength(cap.stdout) });
  }
  for (const [file, cap] of Object.entries(node.cniFiles ?? {})) {
    out.push({
      node: node.name,
      kind: `cni ${file}`,
      command: cap.command,
      sha256: cap.sha256,
      bytes: Buffer.byteLength(cap.stdout),
    });
  }
  return out;
}

export function buildTraceReport(input: TraceReportInput): IncidentReport {
  const node = input.snapshot.nodes.find((n) => n.name === input.node);
  if (!node) throw new Error(`node "${input.node}" is not in the snapshot`);
  const now = input.now ?? new Date();
  const id = createHash('sha256')
    .update(JSON.stringify([input.snapshot.capturedAt, input.node, input.packet, now.toISOString()]))
    .digest('hex')
    .slice(0, 12);
  const report: IncidentReport = {
    schema: REPORT_SCHEMA,
    id,
    createdAt: now.toISOString(),
    createdBy: input.createdBy,
    cluster: input.snapshot.cluster,
    snapshotCapturedAt: input.snapshot.capturedAt,
    question: { kind: 'trace', node: input.node, packet: input.packet },
    summary: summarizeTrace(input.trace, input.node),
    trace: input.trace,
    findings: [...(input.findings ?? []), ...input.trace.notes, ...input.trace.warnings],
    nodes: nodeStatuses(input.snapshot),
    evidence: evidenceFor(node),
    replay: { node },
  };
  // Redact last, over everything: names, comments and captures can all carry secrets.
  return redactDeep(report, input.redaction);
}
