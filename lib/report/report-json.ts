/**
 * The JSON bundle: versioned, validated on reopen, replayable. Replay re-runs the trace on the
 * captures carried in the bundle; `replayMatches` says whether today's engine gives the same answer.
 */
import { z } from 'zod';
import { REPORT_SCHEMA, type IncidentReport } from '@/lib/model/report';
import type { Outcome, TraceResult } from '@/lib/model/trace';

export function renderJson(report: IncidentReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const packetSchema = z
  .object({
    src: z.string(),
    dst: z.string(),
    port: z.number().int().min(0).max(65535),
    proto: z.enum(['tcp', 'udp', 'sctp']),
  })
  .passthrough();

const reportSchema = z.object({
  schema: z.literal(REPORT_SCHEMA),
  id: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  cluster: z.object({ name: z.string() }).passthrough(),
  snapshotCapturedAt: z.string(),
  question: z.union([
    z.object({ kind: z.literal('trace'), node: z.string(), packet: packetSchema }),
    z.object({ kind: z.literal('dns'), name: z.string(), resolver: z.enum(['glibc', 'musl']) }).passthrough(),
  ]),
  summary: z.string(),
  trace: z.any().optional(),
  dns: z.any().optional(),
  findings: z.array(z.string()),
  nodes: z.array(z.object({ name: z.string(), collected: z.boolean() }).passthrough()),
  evidence: z.array(z.object({ node: z.string(), kind: z.string(), sha256: z.string() }).passthrough()),
  replay: z
    .object({ node: z.object({ name: z.string(), captures: z.record(z.string(), z.any()) }).passthrough() })
    .optional(),
});

export class ReportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFormatError';
  }
}

/** Parses and validates a JSON bundle; a wrong or future schema is a clear error. */
export function parseReportJson(text: string): IncidentReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ReportFormatError(`not JSON: ${(err as Error).message}`);
  }
  const schema = (data as { schema?: unknown })?.schema;
  if (schema !== REPORT_SCHEMA)
    throw new ReportFormatError(
      `unsupported report schema ${JSON.stringify(schema)} (this kubepath reads ${REPORT_SCHEMA})`,
    );
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReportFormatError(`invalid report at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data as unknown as IncidentReport;
}

/** The parts of an outcome that define the answer (steps compared by rule line and effect). */
function answerKey(o: Outcome) {
  return {
    verdict: o.verdict,
    to: o.to,
    probability: Math.round(o.probability * 1e9),
    masquerade: o.masquerade,
    steps: o.steps.map((s) => `${s.table}/${s.chain}:${s.line}:${s.effect}`),
  };
}

export function replayMatches(original: TraceResult, replayed: TraceResult): boolean {
  return JSON.stringify(original.outcomes.map(answerKey)) === JSON.stringify(replayed.outcomes.map(answerKey));
}
