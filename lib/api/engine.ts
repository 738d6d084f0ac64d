/**
 * Server-side tracing over the served snapshot. Parsed TraceInputs are cached per snapshot
 * version and node, because parsing a 10k-Service iptables-save takes far longer than a trace.
 */
import type { ClusterSnapshot, NodeCapture } from '@/lib/model/snapshot';
import type { Packet, TraceResult } from '@/lib/model/trace';
import type { TraceInputs } from '@/lib/trace/inputs';
import { AppFailure, toAppError, type AppError } from './errors';
import { nodeTraceInputs, tracePacket } from './engine-deps';

export interface NodeTrace {
  node: string;
  result?: TraceResult;
  error?: AppError;
}

const inputCache = new Map<string, TraceInputs>();

function nodeCapture(snap: ClusterSnapshot, node: string): NodeCapture {
  const n = snap.nodes.find((x) => x.name === node);
  if (!n) throw new AppFailure({ kind: 'not-found', resource: 'node', message: `unknown node "${node}"` });
  return n;
}

/** Parsed inputs for one node; an uncollected node is an `unreachable` error, not an empty ruleset. */
export function inputsFor(snap: ClusterSnapshot, version: string, node: string): TraceInputs {
  const n = nodeCapture(snap, node);
  if (n.error) throw new AppFailure({ kind: 'unreachable', node, cause: n.error.kind, message: `node ${node} was not collected (${n.error.kind}): ${n.error.message}` });
  const key = `${version}|${node}`;
  let inputs = inputCache.get(key);
  if (!inputs) {
    const got = nodeTraceInputs(n) as TraceInputs | { value: TraceInputs };
    inputs = 'value' in got && got.value ? got.value : (got as TraceInputs);
    if (inputCache.size > 64) inputCache.clear();
    inputCache.set(key, inputs);
  }
  if (!inputs.iptables && !inputs.nft && !inputs.ipvs) {
    throw new AppFailure({ kind: 'no-data', node, message: `node ${node} has no iptables, nft or ipvs capture to trace through` });
  }
  return inputs;
}

export function traceOn(snap: ClusterSnapshot, version: string, node: string, packet: Packet): NodeTrace {
  try {
    return { node, result: tracePacket(inputsFor(snap, version, node), packet) };
  } catch (e) {
    return { node, error: toAppError(e) };
  }
}
