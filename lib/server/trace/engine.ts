/**
 * Server-side tracing over the served snapshot. Parsed TraceInputs are cached per snapshot (in
 * lib/question, shared with the answers), because parsing a 10k-Service iptables-save takes far
 * longer than a trace.
 */
import 'server-only';
import type { ClusterSnapshot, NodeCapture } from '@/lib/model/snapshot';
import type { Packet, TraceResult } from '@/lib/model/trace';
import { AppFailure, toAppError, type AppError } from '../../errors';
import { tracePacket } from '@/lib/trace/trace-packet';
import { nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
import type { TraceInputs } from '@/lib/model/trace-inputs';
import { answerQuestion, snapshotInputs, QuestionError } from '@/lib/question/answer-question';
import type { TraceQuery } from '../../wire/trace-request';
import { questionFailure } from './resolve-question';

export interface NodeTrace {
  node: string;
  result?: TraceResult;
  error?: AppError;
  /** Set when this node is not the source's own: the trace is a what-if ("edge-2 runs on node-2; simulating node-1"). */
  whatIf?: string;
}

function nodeCapture(snap: ClusterSnapshot, node: string): NodeCapture {
  const n = snap.nodes.find((x) => x.name === node);
  if (!n) throw new AppFailure({ kind: 'not-found', resource: 'node', message: `unknown node "${node}"` });
  return n;
}

/** Parsed inputs for one node, with parse issues; an uncollected node is an `unreachable` error, not an empty ruleset. */
export function parsedNode(
  snap: ClusterSnapshot,
  _version: string,
  node: string,
): { inputs: TraceInputs; issues: string[] } {
  const n = nodeCapture(snap, node);
  if (n.error)
    throw new AppFailure({
      kind: 'unreachable',
      node,
      cause: n.error.kind,
      message: `node ${node} was not collected (${n.error.kind}): ${n.error.message}`,
    });
  const got = snapshotInputs(snap, node);
  if (!got) {
    const { issues } = nodeTraceInputs(n);
    throw new AppFailure({
      kind: 'no-data',
      node,
      message: `node ${node} has no iptables, nft or ipvs capture to trace through${issues.length ? ` (${issues.join('; ')})` : ''}`,
    });
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

const WHAT_IF = 'what-if: ';

/**
 * The question's answer with the packet starting on `node` (lib/question/answerQuestion: the
 * outcomes with answer and sentence, the path across nodes, a what-if in the warnings). An
 * uncollected first node is its `unreachable` error, as for a plain trace.
 */
export function answerOn(
  snap: ClusterSnapshot,
  version: string,
  node: string,
  q: Pick<TraceQuery, 'src' | 'dst' | 'port' | 'proto'>,
): NodeTrace {
  try {
    parsedNode(snap, version, node);
    const result = answerQuestion(snap, { src: q.src, dst: q.dst, port: q.port, proto: q.proto, node });
    const whatIf = result.source.whatIf
      ? result.warnings.find((w) => w.startsWith(WHAT_IF))?.slice(WHAT_IF.length)
      : undefined;
    return { node, result, ...(whatIf ? { whatIf } : {}) };
  } catch (e) {
    return { node, error: toAppError(e instanceof QuestionError ? questionFailure(e) : e) };
  }
}
