/**
 * Resolves a validated TraceQuery against the snapshot. The source decides the node: a pod (or a
 * pod's IP) is traced on the pod's node, a node (or a node's IP) on that node, and an outside
 * address on the node the user picks, by default every node that answers the destination, side by
 * side. A node asked for that is not the source's own is an explicit what-if and says so; a node is
 * never guessed. Unknown names become typed not-found errors (never a blank graph). The source is
 * read by lib/question (the same resolution the answers and the CLI use); this adds what the
 * console needs around it: the nodes an outside packet reaches, and words for why.
 */
import 'server-only';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { Packet, ResolvedQuestion } from '@/lib/model/trace';
import type { Inventory } from '@/lib/question/inventory';
import { resolveSource, QuestionError } from '@/lib/question/source';
// One inventory per snapshot, shared with the answers (lib/question caches it).
import { snapshotInventory } from '@/lib/question/answer-question';
import { entryNodes } from '@/lib/question/entry-nodes';
import { AppFailure } from '../../errors';
import type { TraceQuery } from '../../wire/trace-request';

/** The node's address: the API's InternalIP, else the one its captures show; undefined when neither knows. */
export function nodeAddress(snap: ClusterSnapshot, node: string): string | undefined {
  return snapshotInventory(snap).nodeAddress(node);
}

function requireNode(snap: ClusterSnapshot, name: string, field: string): string {
  if (!snap.nodes.some((n) => n.name === name)) {
    throw new AppFailure({
      kind: 'not-found',
      resource: 'node',
      message: `unknown node "${name}" (${field}); this snapshot has ${snap.nodes.map((n) => n.name).join(', ')}`,
    });
  }
  return name;
}

/**
 * The nodes that answer `dst` for a packet from outside, traced side by side by default:
 * lib/question's entryNodes for a node's or a Service's address (the owning node; every collected
 * node for an LB / external / cluster IP), the pod's node for a pod's address, and none for an
 * address nothing in the snapshot owns (the user must say where the packet arrives; never guessed).
 */
export function answeringNodes(snap: ClusterSnapshot, inv: Inventory, dst: string): string[] {
  if (inv.nodeByAddress(dst) || inv.serviceByClusterIp(dst) || inv.serviceByExternalIp(dst))
    return entryNodes(snap, dst);
  const podNode = inv.podByIp(dst)?.node;
  return podNode && inv.collected(podNode) ? [podNode] : [];
}

/** lib/question's typed refusal, as the console's error. */
export function questionFailure(e: QuestionError): AppFailure {
  return e.kind === 'not-found'
    ? new AppFailure({
        kind: 'not-found',
        resource: e.field === 'src' && /pod/.test(e.message) ? 'pod' : 'node',
        message: e.message,
      })
    : new AppFailure({ kind: 'invalid-request', message: e.message, issues: [{ path: e.field, message: e.message }] });
}

export function resolveQuestion(snap: ClusterSnapshot, q: TraceQuery): ResolvedQuestion {
  const inv = snapshotInventory(snap);
  let src;
  try {
    src = resolveSource(snap, inv, q.src);
  } catch (e) {
    throw e instanceof QuestionError ? questionFailure(e) : e;
  }
  if (src.kind === 'node' && src.home) requireNode(snap, src.home, 'src');
  const pod = src.kind === 'pod' ? inv.podByIp(src.ip) : undefined;
  const packet: Packet = { src: src.ip, dst: q.dst, port: q.port, proto: q.proto };
  if (q.compare) requireNode(snap, q.compare, 'compare');
  const base = {
    packet,
    compare: q.compare,
    sourceLabel: src.label,
    sourceKind: src.kind,
    sourcePod: pod ? `pod:${pod.namespace}/${pod.name}` : undefined,
    sourceNode: src.home,
  };
  if (src.home) {
    const node = requireNode(snap, q.node ?? src.home, 'node');
    const where = `${src.short} runs on ${src.home}`;
    return {
      ...base,
      node,
      nodes: [node],
      nodeReason: where,
      whatIf: node !== src.home ? `${where}; simulating ${node}` : undefined,
    };
  }
  if (q.node) {
    const node = requireNode(snap, q.node, 'node');
    return {
      ...base,
      node,
      nodes: [node],
      nodeReason: `${src.ip} is outside the cluster; it arrives on ${node}, as asked`,
    };
  }
  const nodes = answeringNodes(snap, inv, q.dst);
  if (nodes.length === 0) {
    throw new AppFailure({
      kind: 'invalid-request',
      message: `no node answers ${q.dst} (not a node's address nor a Service's), so a packet from ${q.src} reaches no node; pick the node it arrives on`,
      issues: [{ path: 'node', message: 'pick the node the packet arrives on' }],
    });
  }
  const reason =
    nodes.length === 1
      ? `${q.dst} is node ${nodes[0]}'s address`
      : `${q.dst} is a Service address every node answers; the outside network picks the node`;
  return { ...base, node: nodes[0], nodes, nodeReason: reason };
}
