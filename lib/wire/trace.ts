/**
 * Wire shapes of the console's API responses, validated on the client with zod so a malformed
 * answer becomes a clear error instead of a half-drawn graph. Only the parts the UI reads are
 * checked strictly; the rest passes through.
 */
import { z } from 'zod';
import type { TraceResult, ResolvedQuestion } from '@/lib/model/trace';
import type { AppError } from '../errors';
import type { PodRef } from '@/lib/model/graph';

export const AppErrorSchema = z.looseObject({ kind: z.string(), message: z.string() });
export const ErrorBodySchema = z.object({ error: AppErrorSchema });

const StepSchema = z.looseObject({
  table: z.string(),
  chain: z.string(),
  line: z.number(),
  raw: z.string(),
  effect: z.string(),
  why: z.string(),
});
const PacketSchema = z.looseObject({ src: z.string(), dst: z.string(), port: z.number(), proto: z.string() });
// The CLI's JSON fields (issue #15's contract): every outcome carries what the client sees and its sentence.
const OutcomeSchema = z.looseObject({
  verdict: z.enum(['dnat', 'drop', 'reject', 'accept']),
  to: z.string().nullable(),
  probability: z.number(),
  masquerade: z.boolean(),
  steps: z.array(StepSchema),
  answer: z.enum(['delivered', 'dropped', 'rejected', 'unanswered']),
  sentence: z.string(),
});
const PathHopSchema = z.looseObject({
  node: z.string(),
  outcomes: z.array(z.number()),
  arrives: PacketSchema,
  steps: z.array(StepSchema),
  collected: z.boolean(),
});
const TraceResultSchema = z.looseObject({
  packet: PacketSchema,
  mode: z.string(),
  outcomes: z.array(OutcomeSchema),
  notes: z.array(z.string()),
  warnings: z.array(z.string()),
  path: z.array(PathHopSchema),
});

export const TraceResponseSchema = z.object({
  question: z.looseObject({
    node: z.string(),
    nodes: z.array(z.string()),
    sourceLabel: z.string(),
    nodeReason: z.string(),
  }),
  traces: z.array(
    z.object({
      node: z.string(),
      result: TraceResultSchema.optional(),
      error: AppErrorSchema.optional(),
      whatIf: z.string().optional(),
    }),
  ),
  pods: z.record(z.string(), z.looseObject({ namespace: z.string(), name: z.string() })),
});

export interface TraceResponse {
  question: ResolvedQuestion;
  /** One per node traced; `result` is the CLI's JSON (outcomes with answer/sentence, path, warnings). */
  traces: { node: string; result?: TraceResult; error?: AppError; whatIf?: string }[];
  pods: Record<string, PodRef>;
}

/** A failed API call, carrying the server's typed error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly appError: { kind: string; message: string; issues?: { path: string; message: string }[] },
  ) {
    super(appError.message);
    this.name = 'ApiError';
  }
}

export async function getJson<T>(url: string, schema: z.ZodType, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json' } });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = ErrorBodySchema.safeParse(body);
    throw new ApiError(
      res.status,
      parsed.success
        ? (parsed.data.error as ApiError['appError'])
        : { kind: 'internal', message: `HTTP ${res.status}` },
    );
  }
  const r = schema.safeParse(body);
  if (!r.success)
    throw new ApiError(res.status, {
      kind: 'internal',
      message: `unexpected response from ${url}: ${r.error.issues[0]?.message}`,
    });
  return r.data as T;
}
