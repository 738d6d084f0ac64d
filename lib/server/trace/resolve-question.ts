/**
 * Resolves a validated TraceQuery against the snapshot. The source decides the node: a pod (or a
 * pod's IP) is traced on the pod's node, a node (or a node's IP) on that node, and an outside
 * address on the node the user picks, by default every node that answers the destination, side by
 * side. A node asked for that is not the source's own is an explicit what-if and says so; a node is
 * never guessed. Unknown names become typed not-found errors (never a blank graph).
 */
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { PodModel } from '@/lib/model/k8s';
import type { Packet } from '@/lib/model/trace';
import type { NetInterface, Route } from '@/lib/model/interfaces';
import { AppFailure } from '../../errors';
import type { TraceQuery } from '../../wire/trace-request';
import { parsedNode } from './engine';

export interface ResolvedQuestion {
  packet: Packet;
  /** The (first) node the packet is traced on. */
  node: string;
  /** Every node traced, side by side: one for a pod or node source, possibly several for an outside source. */
  nodes: string[];
  compare?: string;
  /** Human text for the source: "pod default/web-0 (10.244.1.10)". */
  sourceLabel: string;
  sourceKind: 'pod' | 'node' | 'address';
  /** `pod:ns/name` when the source is (or has the IP of) a pod: what a pod picker shows. */
  sourcePod?: string;
  /** The node the source lives on; absent for an address outside the cluster. */
  sourceNode?: string;
  /** How the node was chosen, in words: "edge-2 runs on node-2". */
  nodeReason: string;
  /** Set when the node asked for is not the source's own: "edge-2 runs on node-2; simulating node-1". */
  whatIf?: string;
}

function apiNodeAddress(snap: ClusterSnapshot, node: string): string | undefined {
  const n = snap.api?.nodes.find((x) => x.name === node);
  return n?.addresses.find((a) => a.type === 'InternalIP')?.address ?? n?.addresses.find((a) => a.type !== 'Hostname')?.address;
}

/** Interfaces that hold addresses which are not the node's own identity (IPVS VIPs, loopback). */
const NOT_NODE_DEVICES = /^(lo|kube-ipvs0|nodelocaldns)$/;

/**
 * The node's own address read from its captures, for nodes the API does not describe (the IPVS
 * fixture node has no Node object): the address on the default route's device, else the first
 * global IPv4 on a subnet (not a /32 VIP) of an ordinary interface.
 */
export function capturedNodeAddress(interfaces: NetInterface[] = [], routes: Route[] = []): string | undefined {
  const global = (i: NetInterface) => i.addresses.filter((a) => a.family === 'inet' && a.scope !== 'host' && a.scope !== 'link' && a.prefixLength < 32);
  const dflt = routes.find((r) => r.destination === 'default' && (!r.table || r.table === 'main'));
  const dev = dflt?.device ? interfaces.find((i) => i.name === dflt.device) : undefined;
  if (dev && global(dev)[0]) return global(dev)[0].address;
  const linkRoute = routes.find((r) => r.source && r.scope === 'link' && r.device && !NOT_NODE_DEVICES.test(r.device));
  if (linkRoute?.source) return linkRoute.source;
  for (const i of interfaces) if (!NOT_NODE_DEVICES.test(i.name) && global(i)[0]) return global(i)[0].address;
  return undefined;
}

/** The node's address: the API's InternalIP, else the one its captures show; undefined when neither knows. */
export function nodeAddress(snap: ClusterSnapshot, version: string, node: string): string | undefined {
  const api = apiNodeAddress(snap, node);
  if (api) return api;
  try {
    const { inputs } = parsedNode(snap, version, node);
    return capturedNodeAddress(inputs.interfaces, inputs.routes);
  } catch {
    return undefined;
  }
}

function requireNode(snap: ClusterSnapshot, name: string, field: string): string {
  if (!snap.nodes.some((n) => n.name === name)) {
    throw new AppFailure({ kind: 'not-found', resource: 'node', message: `unknown node "${name}" (${field}); this snapshot has ${snap.nodes.map((n) => n.name).join(', ')}` });
  }
  return name;
}

const podRef = (p: PodModel) => `${p.namespace}/${p.name}`;

/** The node whose address `ip` is (API addresses, then captured node addresses). */
function nodeOfAddress(snap: ClusterSnapshot, version: string, ip: string): string | undefined {
  const api = snap.api?.nodes.find((n) => n.addresses.some((a) => a.address === ip));
  if (api && snap.nodes.some((n) => n.name === api.name)) return api.name;
  return snap.nodes.find((n) => !n.error && nodeAddress(snap, version, n.name) === ip)?.name;
}

/**
 * The nodes that answer `dst` for a packet from outside: the node that owns the address (a NodePort
 * on a node's IP), else every node when the address is a Service's (ClusterIP, external or load
 * balancer IP: each node's kube-proxy programs it, and which node the outside network delivers to
 * is not in the captures). Nothing else is answered by a node, so nothing is guessed.
 */
export function answeringNodes(snap: ClusterSnapshot, version: string, dst: string): string[] {
  const owner = nodeOfAddress(snap, version, dst);
  if (owner) return [owner];
  const svc = snap.api?.services.some((s) => s.clusterIPs.includes(dst) || s.externalIPs.includes(dst) || s.loadBalancerIPs.includes(dst));
  return svc ? snap.nodes.map((n) => n.name) : [];
}

export function resolveQuestion(snap: ClusterSnapshot, q: TraceQuery, version = ''): ResolvedQuestion {
  let src: string;
  let sourceNode: string | undefined;
  let sourceLabel: string;
  let sourceKind: ResolvedQuestion['sourceKind'];
  let sourcePod: string | undefined;
  let who: string; // "edge-2" / "node node-3-ipvs": the subject of "… runs on …"
  const fromPod = (pod: PodModel, ip: string) => {
    src = ip;
    sourceNode = pod.nodeName;
    sourceLabel = `pod ${podRef(pod)} (${ip})`;
    sourceKind = 'pod';
    sourcePod = `pod:${podRef(pod)}`;
    who = `pod ${podRef(pod)}`;
  };
  if (q.src.startsWith('pod:')) {
    const [ns, name] = q.src.slice(4).split('/');
    const pod = snap.api?.pods.find((p) => p.namespace === ns && p.name === name);
    if (!pod) throw new AppFailure({ kind: 'not-found', resource: 'pod', message: `unknown pod "${ns}/${name}"` });
    if (!pod.podIPs[0]) throw new AppFailure({ kind: 'invalid-request', message: `pod ${ns}/${name} has no IP`, issues: [{ path: 'src', message: 'pod has no IP' }] });
    fromPod(pod, pod.podIPs[0]);
  } else if (q.src.startsWith('node:')) {
    const name = requireNode(snap, q.src.slice(5), 'src');
    const addr = nodeAddress(snap, version, name);
    if (!addr) throw new AppFailure({ kind: 'invalid-request', message: `node ${name} has no known address (neither the API nor its captures name one)`, issues: [{ path: 'src', message: 'node has no address' }] });
    src = addr;
    sourceNode = name;
    sourceLabel = `node ${name} (${addr})`;
    sourceKind = 'node';
    who = `node ${name}`;
  } else {
    // An address is a pod's or a node's when the snapshot says so; only then does it have a node.
    const pod = snap.api?.pods.find((p) => !p.hostNetwork && p.podIPs.includes(q.src));
    const owner = pod ? undefined : nodeOfAddress(snap, version, q.src);
    if (pod) fromPod(pod, q.src);
    else if (owner) {
      src = q.src;
      sourceNode = owner;
      sourceLabel = `node ${owner} (${q.src})`;
      sourceKind = 'node';
      who = `${q.src} (node ${owner})`;
    } else {
      src = q.src;
      sourceLabel = `address ${q.src}`;
      sourceKind = 'address';
      who = `address ${q.src}`;
    }
  }
  const packet: Packet = { src: src!, dst: q.dst, port: q.port, proto: q.proto };
  if (q.compare) requireNode(snap, q.compare, 'compare');
  const base = { packet, compare: q.compare, sourceLabel: sourceLabel!, sourceKind: sourceKind!, sourcePod, sourceNode };

  if (sourceKind! !== 'address') {
    if (!sourceNode && !q.node) {
      throw new AppFailure({ kind: 'invalid-request', message: `${who!} is not scheduled on a node, so its packet cannot be traced; pick a node to simulate one`, issues: [{ path: 'node', message: 'the source has no node' }] });
    }
    const node = requireNode(snap, q.node ?? sourceNode!, 'node');
    const where = sourceNode ? `${who!} runs on ${sourceNode}` : `${who!} is on no node`;
    const whatIf = node !== sourceNode ? `${where}; simulating ${node}` : undefined;
    return { ...base, node, nodes: [node], nodeReason: where, whatIf };
  }
  if (q.node) {
    const node = requireNode(snap, q.node, 'node');
    return { ...base, node, nodes: [node], nodeReason: `${who!} is outside the cluster; arriving on ${node}, as asked` };
  }
  const nodes = answeringNodes(snap, version, q.dst);
  if (nodes.length === 0) {
    throw new AppFailure({ kind: 'invalid-request', message: `no node answers ${q.dst} (not a node's address nor a Service's), so a packet from ${q.src} reaches no node; pick the node it arrives on`, issues: [{ path: 'node', message: 'pick the node the packet arrives on' }] });
  }
  const reason = nodes.length === 1 ? `${q.dst} is node ${nodes[0]}'s address` : `${q.dst} is a Service address every node answers; the outside network picks the node`;
  return { ...base, node: nodes[0], nodes, nodeReason: reason };
}
