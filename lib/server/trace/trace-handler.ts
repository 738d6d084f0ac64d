/**
 * GET /api/trace: query string → zod → names resolved against the snapshot → tracer on the node
 * (and the compare node). Returns the TraceResults plus the pods their outcomes reach. A bad
 * question is a 4xx with the reason; an unreachable node is a 502 naming it; never a blank 200.
 */
import 'server-only';
import { served } from '../snapshot/served';
import { httpStatus, toAppError, type AppError } from '../../errors';
import { TraceQuerySchema, queryFromParams, zodIssues } from '../../wire/trace-request';
import { resolveQuestion } from './resolve-question';
import { traceOn } from './engine';
import type { TraceResponse } from '../../wire/trace';
import type { PodRef } from '@/lib/model/graph';

export interface HandlerResult {
  status: number;
  body: TraceResponse | { error: AppError };
}

function ipOf(to: string): string {
  return to.startsWith('[') ? to.slice(1, to.indexOf(']')) : to.slice(0, to.lastIndexOf(':'));
}

export function handleTrace(params: URLSearchParams): HandlerResult {
  const parsed = TraceQuerySchema.safeParse(queryFromParams(params));
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    return { status: 400, body: { error: { kind: 'invalid-request', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues } } };
  }
  try {
    const s = served();
    const question = resolveQuestion(s.snapshot, parsed.data);
    const nodes = [question.node, ...(question.compare && question.compare !== question.node ? [question.compare] : [])];
    const traces = nodes.map((n) => traceOn(s.snapshot, s.version, n, question.packet));
    const main = traces[0];
    if (main.error) return { status: httpStatus(main.error), body: { error: main.error } };
    const all = s.pods();
    const pods: Record<string, PodRef> = {};
    for (const t of traces) for (const o of t.result?.outcomes ?? []) if (o.to && all[ipOf(o.to)]) pods[ipOf(o.to)] = all[ipOf(o.to)];
    const srcPod = all[question.packet.src];
    if (srcPod) pods[question.packet.src] = srcPod;
    return { status: 200, body: { question, traces, pods } };
  } catch (e) {
    const err = toAppError(e);
    return { status: httpStatus(err), body: { error: err } };
  }
}
