/**
 * GET /api/report: the same trace question as /api/trace plus `format=html|md|json|pdf`, answered
 * with the incident report as a download. The trace is computed exactly as the trace view computes
 * it (lib/server/trace/trace-handler.ts), so the report and the screen cannot disagree.
 *
 * The console serves ONE snapshot chosen at start-up; no request parameter names a file. A request
 * that tries (`snapshot=`, `path=`, `file=`) is refused with a 400 rather than silently ignored, and
 * the download's filename is built only from [A-Za-z0-9._-] so no name in the snapshot can steer it.
 */
import 'server-only';
import type { IncidentReport } from '@/lib/model/report';
import { buildTraceReport } from '@/lib/report/build-report';
import { buildDnsReport } from '@/lib/report/build-dns-report';
import { renderReport, REPORT_CONTENT_TYPES, REPORT_FORMATS, type ReportFormat } from '@/lib/report/render';
import { renderPdfShared, type PdfTiming } from '@/lib/report/render-pdf';
import { cachedPdf, reportIdentity } from './pdf-export';
import type { AppError } from '../../errors';
import { handleTrace } from '../trace/trace-handler';
import { served, type Served } from '../snapshot/served';
import { tracesRefusal, type RequestViewer } from '../../viewer/viewer';
import type { TraceResponse } from '../../wire/trace';
import { answerDns, parseDnsQuestion } from '../dns/dns-handler';
import { dnsRefusal } from '../dns/dns-viewer';
import type { DnsResponse } from '../../wire/dns';

export type ReportResult =
  | {
      status: 200;
      body: Buffer;
      contentType: string;
      filename: string;
      /** PDF only: time queued and rendering. */ timing?: PdfTiming;
    }
  | {
      status: number;
      error: AppError | { kind: string; message: string };
      /** Seconds, for 429/503. */ retryAfter?: number;
    };

/** PDFs go through the server's shared, bounded renderer (the CLI's renderReport closes its browser). */
async function render(report: IncidentReport, format: ReportFormat): Promise<{ out: Buffer; timing?: PdfTiming }> {
  if (format !== 'pdf') return { out: await renderReport(report, format) };
  const { pdf, timing } = await renderPdfShared(report);
  return { out: pdf, timing };
}

/** Parameters that would name a file on the server: never honoured. */
const PATH_PARAMS = ['snapshot', 'path', 'file', 'out', 'dir'];

/** A download filename that is safe in any Content-Disposition and on any filesystem. */
export function safeFilename(parts: (string | number | undefined)[], ext: string): string {
  const stem = parts
    .filter((p) => p !== undefined && p !== '')
    .map((p) =>
      String(p)
        .replace(/[^A-Za-z0-9._-]+/g, '_')
        .replace(/\.{2,}/g, '_')
        .replace(/^[._-]+|[._-]+$/g, ''),
    )
    .filter(Boolean)
    .join('-')
    .slice(0, 150);
  return `${stem || 'kubepath-report'}.${ext}`;
}

export function parseFormat(value: string | null): ReportFormat | undefined {
  return (REPORT_FORMATS as readonly string[]).includes(value ?? '') ? (value as ReportFormat) : undefined;
}

/** Refuses file-naming parameters and reads the format; the rest of `params` is the question. */
function preflight(
  params: URLSearchParams,
): { error: ReportResult } | { format: ReportFormat; question: URLSearchParams } {
  if (params.getAll('format').length > 1) {
    return {
      error: {
        status: 400,
        error: {
          kind: 'invalid-request',
          message: 'format is given more than once; give it once',
          issues: [{ path: 'format', message: 'given more than once' }],
        },
      },
    };
  }
  const named = PATH_PARAMS.filter((p) => params.has(p));
  if (named.length) {
    return {
      error: {
        status: 400,
        error: {
          kind: 'invalid-request',
          message: `the console serves one snapshot and never reads a file named in a request (refused parameter: ${named.join(', ')})`,
          issues: named.map((p) => ({ path: p, message: 'not accepted' })),
        },
      },
    };
  }
  const format = parseFormat(params.get('format'));
  if (!format) {
    return {
      error: {
        status: 400,
        error: {
          kind: 'invalid-request',
          message: `format must be one of ${REPORT_FORMATS.join(', ')}`,
          issues: [{ path: 'format', message: `one of ${REPORT_FORMATS.join(', ')}` }],
        },
      },
    };
  }
  const question = new URLSearchParams(params);
  question.delete('format');
  return { format, question };
}

/** A DNS question (`pod` + `name`, as on /dns) rather than a packet trace. */
export function isDnsQuestion(params: URLSearchParams): boolean {
  return params.has('name') && params.has('pod') && !params.has('dst');
}

/** Builds the report for a trace or DNS question; the viewer decides visibility and is named as the author. */
export async function handleReport(
  params: URLSearchParams,
  viewer: RequestViewer,
  now?: Date,
  s?: Served,
): Promise<ReportResult> {
  const build = () =>
    isDnsQuestion(params) ? handleDnsReport(params, viewer, now, s) : handleTraceReport(params, viewer, now, s);
  if (params.getAll('format').length !== 1 || params.get('format') !== 'pdf') return build();
  return cachedPdf(reportIdentity((s ?? served()).version, viewer, params), build);
}

/** The DNS explanation the DNS view shows, as a report (lib/report/build-dns-report.ts). */
export async function handleDnsReport(
  params: URLSearchParams,
  viewer: RequestViewer,
  now?: Date,
  snap?: Served,
): Promise<ReportResult> {
  const pre = preflight(params);
  if ('error' in pre) return pre.error;
  const parsed = parseDnsQuestion(pre.question);
  if (!parsed.ok) return { status: parsed.result.status, error: (parsed.result.body as { error: AppError }).error };
  const s = snap ?? served();
  const answered = answerDns(s, parsed.question);
  if ('error' in answered.body) return { status: answered.status, error: answered.body.error };
  const body = answered.body as DnsResponse;
  const refusal = dnsRefusal(body, viewer, s.snapshot);
  if (refusal) return { status: 403, error: { kind: 'forbidden', message: refusal } };
  const q = body.question;
  const report = buildDnsReport({
    name: q.name,
    pod: q.pod,
    node: q.node,
    explanation: body.explanation,
    snapshot: s.snapshot,
    createdBy: viewer.identity,
    now,
  });
  const { out, timing } = await render(report, pre.format);
  return {
    status: 200,
    body: out,
    timing,
    contentType: REPORT_CONTENT_TYPES[pre.format],
    filename: safeFilename(
      ['kubepath-dns-report', report.cluster.name, q.pod, q.name, q.resolver, report.id],
      pre.format,
    ),
  };
}

/** Builds the report for a trace question; the viewer decides visibility and is named as the author. */
export async function handleTraceReport(
  params: URLSearchParams,
  viewer: RequestViewer,
  now?: Date,
  snap?: Served,
): Promise<ReportResult> {
  const pre = preflight(params);
  if ('error' in pre) return pre.error;
  const { format, question } = pre;
  const traced = handleTrace(question);
  if ('error' in traced.body) return { status: traced.status, error: traced.body.error };
  const body = traced.body as TraceResponse;
  const s = snap ?? served();
  const refusal = tracesRefusal(body.traces, viewer, s.snapshot);
  if (refusal) return { status: 403, error: { kind: 'forbidden', message: refusal } };
  // The report is the first node's answer (the source's node, or the first node that answers an
  // outside packet); the other nodes traced are findings. A question with no answer has no report.
  const main = body.traces.find((t) => t.result);
  if (!main?.result)
    return {
      status: 422,
      error: {
        kind: 'invalid-request',
        message: 'the question could not be traced on any node: no report',
        issues: [],
      },
    };
  const findings = body.traces
    .filter((t) => t !== main)
    .map((t) =>
      t.result
        ? `${t.node === body.question.compare ? 'Compared with' : 'Also answered on'} node ${t.node}: ${t.result.outcomes.map((o) => o.sentence ?? `${o.verdict}${o.to ? ` ${o.to}` : ''}`).join('; ') || 'no outcome'}`
        : `Node ${t.node}: ${t.error?.message ?? 'no result'}`,
    );
  let report: IncidentReport = buildTraceReport({
    snapshot: s.snapshot,
    node: main.node,
    packet: body.question.packet,
    trace: main.result,
    createdBy: viewer.identity,
    findings: [
      `Source: ${body.question.sourceLabel}`,
      `Node: ${body.question.nodeReason}`,
      ...(main.whatIf ? [`What-if: ${main.whatIf}`] : []),
      ...findings,
    ],
    now,
  });
  if (!viewer.access.allNamespaces) {
    // The replay bundle is the node's whole capture, i.e. every namespace's rules: not for a namespace-bound viewer.
    report = {
      ...report,
      replay: undefined,
      findings: [
        ...report.findings,
        'The replay bundle (raw node captures) is omitted: it spans namespaces this viewer may not see.',
      ],
    };
  }
  const { out, timing } = await render(report, format);
  const p = body.question.packet;
  return {
    status: 200,
    body: out,
    timing,
    contentType: REPORT_CONTENT_TYPES[format],
    filename: safeFilename(
      ['kubepath-report', report.cluster.name, main.node, `${p.dst}_${p.port}_${p.proto}`, report.id],
      format,
    ),
  };
}
