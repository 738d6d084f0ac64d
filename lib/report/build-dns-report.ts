/**
 * An IncidentReport for a DNS question: the pod's resolv.conf as the resolver read it, every query
 * it sent with the answer and why, the findings, and (when a snapshot is given) the nodes' status
 * and capture digests.
 */
import { createHash } from 'node:crypto';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { REPORT_SCHEMA, type IncidentReport } from '@/lib/model/report';
import { redactDeep, type RedactionRules } from '@/lib/redact/redact';
import { evidenceFor, nodeStatuses } from './build-report';
import type { DnsExplanation } from '@/lib/model/dns';

export interface DnsReportInput {
  name: string;
  pod?: string;
  node?: string;
  explanation: DnsExplanation;
  snapshot?: ClusterSnapshot;
  createdBy: string;
  redaction?: RedactionRules;
  now?: Date;
}

export function summarizeDns(e: DnsExplanation, pod?: string): string {
  const who = pod ? ` from pod ${pod}` : '';
  const cost = `${e.queries.length} quer${e.queries.length === 1 ? 'y' : 'ies'}`;
  if (e.addresses.length) return `${e.name}${who} (${e.flavor}) resolves to ${e.addresses.join(', ')} after ${cost}`;
  return `${e.name}${who} (${e.flavor}) does not resolve (${e.status}) after ${cost}`;
}

export function buildDnsReport(input: DnsReportInput): IncidentReport {
  const now = input.now ?? new Date();
  const snap = input.snapshot;
  const node = snap?.nodes.find((n) => n.name === input.node);
  const report: IncidentReport = {
    schema: REPORT_SCHEMA,
    id: createHash('sha256')
      .update(JSON.stringify([input.name, input.pod, now.toISOString()]))
      .digest('hex')
      .slice(0, 12),
    createdAt: now.toISOString(),
    createdBy: input.createdBy,
    cluster: snap?.cluster ?? { name: 'unknown' },
    snapshotCapturedAt: snap?.capturedAt ?? now.toISOString(),
    question: { kind: 'dns', name: input.name, pod: input.pod, node: input.node, resolver: input.explanation.flavor },
    summary: summarizeDns(input.explanation, input.pod),
    dns: input.explanation,
    findings: input.explanation.findings.map((f) => `${f.severity}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}`),
    nodes: snap ? nodeStatuses(snap) : [],
    evidence: node ? evidenceFor(node) : [],
  };
  return redactDeep(report, input.redaction);
}
