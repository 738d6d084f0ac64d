/**
 * Resolves a validated TraceQuery against the snapshot: `pod:ns/name` and `node:name` become
 * addresses, the node defaults to the source pod's or node's own node, and unknown names become
 * typed not-found errors (never a blank graph).
 */
import 'server-only';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { Packet, ResolvedQuestion } from '@/lib/model/trace';
import { AppFailure } from '../../errors';
import type { TraceQuery } from '../../wire/trace-request';

export function nodeAddress(snap: ClusterSnapshot, node: string): string | undefined {
  const n = snap.api?.nodes.find((x) => x.name === node);
  return n?.addresses.find((a) => a.type === 'InternalIP')?.address ?? n?.addresses[0]?.address;
}

function requireNode(snap: ClusterSnapshot, name: string, field: string): string {
  if (!snap.nodes.some((n) => n.name === name)) {
    throw new AppFailure({ kind: 'not-found', resource: 'node', message: `unknown node "${name}" (${field}); this snapshot has ${snap.nodes.map((n) => n.name).join(', ')}` });
  }
  return name;
}

export function resolveQuestion(snap: ClusterSnapshot, q: TraceQuery): ResolvedQuestion {
  let src: string;
  let defaultNode: string | undefined;
  let sourceLabel: string;
  let sourceKind: ResolvedQuestion['sourceKind'];
  if (q.src.startsWith('pod:')) {
    const [ns, name] = q.src.slice(4).split('/');
    const pod = snap.api?.pods.find((p) => p.namespace === ns && p.name === name);
    if (!pod) throw new AppFailure({ kind: 'not-found', resource: 'pod', message: `unknown pod "${ns}/${name}"` });
    if (!pod.podIPs[0]) throw new AppFailure({ kind: 'invalid-request', message: `pod ${ns}/${name} has no IP`, issues: [{ path: 'src', message: 'pod has no IP' }] });
    src = pod.podIPs[0];
    defaultNode = pod.nodeName;
    sourceLabel = `pod ${ns}/${name} (${src})`;
    sourceKind = 'pod';
  } else if (q.src.startsWith('node:')) {
    const name = requireNode(snap, q.src.slice(5), 'src');
    const addr = nodeAddress(snap, name);
    if (!addr) throw new AppFailure({ kind: 'invalid-request', message: `node ${name} has no known address`, issues: [{ path: 'src', message: 'node has no address' }] });
    src = addr;
    defaultNode = name;
    sourceLabel = `node ${name} (${src})`;
    sourceKind = 'node';
  } else {
    src = q.src;
    sourceLabel = `address ${src}`;
    sourceKind = 'address';
  }
  const nodeName = q.node ?? defaultNode;
  if (!nodeName) {
    throw new AppFailure({ kind: 'invalid-request', message: 'node is required when the source is an address', issues: [{ path: 'node', message: 'pick the node the packet arrives on' }] });
  }
  requireNode(snap, nodeName, 'node');
  if (q.compare) requireNode(snap, q.compare, 'compare');
  return { packet: { src, dst: q.dst, port: q.port, proto: q.proto }, node: nodeName, compare: q.compare, sourceLabel, sourceKind };
}
