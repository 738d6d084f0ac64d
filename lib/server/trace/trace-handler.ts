/**
 * GET /api/trace: query string → zod → names resolved against the snapshot (the source decides the
 * node) → the answer on every node asked (the source's node; an outside source's answering nodes;
 * the compare node). Returns the answers (the CLI's JSON fields: outcomes with answer and sentence,
 * path, warnings) plus the pods their outcomes reach. A bad question is a 4xx with the reason; a
 * question no node could answer is the error of its first node (502 for an unreachable one);
 * never a blank 200.
 */
import 'server-only';
import { served } from '../snapshot/served';
import { httpStatus, toAppError, type AppError } from '../../errors';
import { TraceQuerySchema, queryFromParams, zodIssues } from '../../wire/trace-request';
import { resolveQuestion } from './resolve-question';
import { answerOn } from './engine';
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
    return {
      status: 400,
      body: {
        error: { kind: 'invalid-request', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues },
      },
    };
  }
  try {
    const s = served();
    const question = resolveQuestion(s.snapshot, parsed.data);
    const nodes = [
      ...question.nodes,
      ...(question.compare && !question.nodes.includes(question.compare) ? [question.compare] : []),
    ];
    // Any node that is not the source's own is a what-if (the compare node too): the answer says so.
    const traces = nodes.map((n) => answerOn(s.snapshot, s.version, n, parsed.data));
    const failed = traces.filter((t) => t.error);
    // One node asked and it failed, or every node failed: the question has no answer.
    if (failed.length === traces.length || (traces[0].error && question.nodes.length === 1)) {
      const e = traces[0].error!;
      return { status: httpStatus(e), body: { error: e } };
    }
    const all = s.pods();
    const pods: Record<string, PodRef> = {};
    for (const t of traces)
      for (const o of t.result?.outcomes ?? []) if (o.to && all[ipOf(o.to)]) pods[ipOf(o.to)] = all[ipOf(o.to)];
    const srcPod = all[question.packet.src];
    if (srcPod) pods[question.packet.src] = srcPod;
    return { status: 200, body: { question, traces, pods } };
  } catch (e) {
    const err = toAppError(e);
    return { status: httpStatus(err), body: { error: err } };
  }
}
