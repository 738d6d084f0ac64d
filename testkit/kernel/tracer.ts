/**
 * The tracer under test: the console's own front door. Imported directly so a broken tracer fails
 * the suite at load, and named in every case report (`tracer` field).
 */
import type { Packet, TraceResult } from '@/lib/model/trace';
import { tracePacket } from '@/lib/trace/trace-packet';
import type { TraceInputs } from '@/lib/model/trace-inputs';

export type TraceFn = (inputs: TraceInputs, packet: Packet) => TraceResult;

/** The tracer function and where it came from. */
export async function loadTracer(): Promise<{ fn: TraceFn; from: string }> {
  return { fn: tracePacket, from: 'lib/trace/trace-packet.ts#tracePacket' };
}
