/**
 * Server-side tracing over the served snapshot. Parsed TraceInputs are cached per snapshot
 * version and node, because parsing a 10k-Service iptables-save takes far longer than a trace.
 */
import type { ClusterSnapshot, NodeCapture } from '@/lib/model/snapshot';
import type { Packet, TraceResult } from '@/lib/model/trace';
import type { TraceInputs } from '@/lib/trace/core/inputs';
import { AppFailure, toAppError, type AppError } from '../../errors';
import { tracePacket } from '@/lib/trace/trace-packet';
import { nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
import { temporaryAnswer } from './TEMPORARY-answer-adapter';

export interface NodeTrace {
  node: string;
  result?: TraceResult;
  error?: AppError;
  /** Set when this node is not the source's own: the trace is a what-if ("edge-2 runs on node-2; simulating node-1"). */
  whatIf?: string;
}

const inputCache = new Map<string, { inputs: TraceInputs; issues: string[] }>();

function nodeCapture(snap: ClusterSnapshot, node: string): NodeCapture {
  const n = snap.nodes.find((x) => x.name === node);
  if (!n) throw new AppFailure({ kind: 'not-found', resource: 'node', message: `unknown node "${node}"` });
  return n;
}

/** Parsed inputs for one node, with parse issues; an uncollected node is an `unreachable` error, not an empty ruleset. */
export function parsedNode(snap: ClusterSnapshot, version: string, node: string): { inputs: TraceInputs; issues: string[] } {
  const n = nodeCapture(snap, node);
  if (n.error) throw new AppFailure({ kind: 'unreachable', node, cause: n.error.kind, message: `node ${node} was not collected (${n.error.kind}): ${n.error.message}` });
  const key = `${version}|${node}`;
  let got = inputCache.get(key);
  if (!got) {
    got = nodeTraceInputs(n);
    if (inputCache.size > 64) inputCache.clear();
    inputCache.set(key, got);
  }
  const { inputs } = got;
  if (!inputs.iptables && !inputs.nft && !inputs.ipvs) {
    throw new AppFailure({ kind: 'no-data', node, message: `node ${node} has no iptables, nft or ipvs capture to trace through${got.issues.length ? ` (${got.issues.join('; ')})` : ''}` });
  }
  return got;
}

export function inputsFor(snap: ClusterSnapshot, version: string, node: string): TraceInputs {
  return parsedNode(snap, version, node).inputs;
}

export function traceOn(snap: ClusterSnapshot, version: string, node: string, packet: Packet): NodeTrace {
  try {
    const { inputs, issues } = parsedNode(snap, version, node);
    const result = tracePacket(inputs, packet);
    // Parse problems in the node's captures may affect the answer: show them with the trace.
    if (issues.length) result.warnings = [...result.warnings, ...issues.slice(0, 50)];
    return { node, result };
  } catch (e) {
    return { node, error: toAppError(e) };
  }
}

/**
 * The question's answer on one node: the trace with the answer contract filled in (per-outcome
 * answer and sentence, the path across nodes). A what-if node says so in the result's warnings,
 * as the CLI's JSON does.
 */
export function answerOn(snap: ClusterSnapshot, version: string, node: string, packet: Packet, whatIf?: string): NodeTrace {
  const t = traceOn(snap, version, node, packet);
  if (!t.result) return { ...t, whatIf };
  const result = temporaryAnswer(snap, node, t.result);
  if (whatIf && !result.warnings.includes(whatIf)) result.warnings = [`what-if: ${whatIf}`, ...result.warnings];
  return { node, result, whatIf };
}
