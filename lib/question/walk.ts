/**
 * The packet's whole way across nodes. The first node is traced as the tracer always did; after
 * it, each outcome that leaves the node is followed the way the kernel and the CNI would: the
 * node's captured routes decide where it leaves (pod routes, overlay devices, host routes via a
 * gateway), the pod inventory and the nodes' pod CIDRs name the node it reaches, and that node's
 * own rules are walked for the packet as it arrives there (already DNATed, maybe masqueraded; a NEW
 * connection for that node's conntrack). A node that was not collected ends the walk: nothing is
 * guessed past it. A DNAT to an address nothing has is still followed (the kernel routes it like any
 * other packet, into the pod CIDR of the node that would own it); the verdict names it stale.
 */
import type { Outcome, Packet, TraceResult } from '@/lib/model/trace';
import type { PathHop } from '@/lib/model/answer';
import type { TraceInputs } from '@/lib/model/trace-inputs';
import { tracePacket } from '@/lib/trace/trace-packet';
import { nodeViewFor } from '@/lib/trace/core/node-view';
import { cidrContains, parseEndpoint, isIPv6 } from '@/lib/net/ip';
import type { Inventory, InventoryPod } from './inventory';
import { markDropOf, type MarkDrop } from './mark-drop';

/** Why a leg ends the walk. */
export type Stop =
  | { kind: 'verdict' } // dropped or rejected on this node
  | { kind: 'pod'; pod?: InventoryPod; ip: string; port: number; device?: string } // handed to a pod interface on this node
  | { kind: 'node-local' } // delivered to the node itself (INPUT)
  | { kind: 'external'; device?: string; gateway?: string } // leaves the cluster (no node owns the next hop)
  | { kind: 'no-route' }
  | { kind: 'not-collected' }
  | { kind: 'loop' }
  | { kind: 'undnated' } // a Service-range / Service address left un-DNATed: not followed
  | { kind: 'mark-drop'; mark: MarkDrop }; // kube-proxy asked for a drop that this node does not enforce

export interface Leg {
  node: string;
  arrives: Packet;
  via?: PathHop['via'];
  collected: boolean;
  /** This node's trace and the outcome the packet took on it (absent when not collected). */
  result?: TraceResult;
  outcome?: Outcome;
}

export interface Chain {
  legs: Leg[];
  stop: Stop;
  probability: number;
}

export interface WalkCtx {
  inv: Inventory;
  inputsOf(node: string): TraceInputs | undefined;
  /** The question's destination (before any DNAT). */
  question: Packet;
  /** The first node's trace when the caller already has it (the per-node CLI form). */
  first?: TraceResult;
}

const MAX_NODES = 6;

/** True when the address is one a Service or the Service range owns (kube-proxy should DNAT it). */
export function isServiceAddress(inv: Inventory, ip: string): boolean {
  if (inv.serviceByClusterIp(ip) || inv.serviceByExternalIp(ip)) return true;
  // The range is inferred (see serviceRange): an address a pod, a node or a pod CIDR owns is not in it.
  if (inv.podByIp(ip) || inv.nodeByAddress(ip) || inv.nodeByPodCidr(ip)) return false;
  return !!inv.serviceRange && !isIPv6(ip) && cidrContains(inv.serviceRange, ip);
}

/** The DNAT target exists: a pod has it, the API lists it as an endpoint, or a node owns it. */
export function targetExists(inv: Inventory, ip: string): boolean {
  return !!inv.podByIp(ip) || inv.isEndpointAddress(ip) || !!inv.nodeByAddress(ip);
}

export function walk(ctx: WalkCtx, node: string, packet: Packet): Chain[] {
  const out: Chain[] = [];
  step(ctx, node, packet, undefined, [], 1, out);
  return out;
}

function step(
  ctx: WalkCtx,
  node: string,
  arrives: Packet,
  via: Leg['via'],
  legs: Leg[],
  p: number,
  out: Chain[],
): void {
  const inputs = ctx.inv.collected(node) ? ctx.inputsOf(node) : undefined;
  if (!inputs) {
    out.push({
      legs: [...legs, { node, arrives, via, collected: false }],
      stop: { kind: 'not-collected' },
      probability: p,
    });
    return;
  }
  const result = legs.length === 0 && ctx.first ? ctx.first : tracePacket(inputs, arrives);
  if (!result.outcomes.length) {
    out.push({
      legs: [...legs, { node, arrives, via, collected: true, result }],
      stop: { kind: 'no-route' },
      probability: p,
    });
    return;
  }
  for (const o of result.outcomes) {
    const leg: Leg = { node, arrives, via, collected: true, result, outcome: o };
    const here = [...legs, leg];
    const prob = p * o.probability;
    const done = (stop: Stop) => out.push({ legs: here, stop, probability: prob });
    if (o.verdict === 'drop' || o.verdict === 'reject') {
      done({ kind: 'verdict' });
      continue;
    }
    const mark = markDropOf(inputs, o);
    if (mark && !mark.enforcedOnPath) {
      done({ kind: 'mark-drop', mark });
      continue;
    }
    const dst = o.to ? parseEndpoint(o.to) : undefined;
    if (!dst) {
      done({ kind: 'no-route' });
      continue;
    }
    const dnatted = here.some((l) => l.outcome?.verdict === 'dnat');
    if (!dnatted && isServiceAddress(ctx.inv, dst.ip) && !ctx.inv.nodeByAddress(dst.ip)) {
      done({ kind: 'undnated' });
      continue;
    }
    if (o.path === 'local') {
      done({ kind: 'node-local' });
      continue;
    }
    const view = nodeViewFor(inputs);
    const route = view.route(dst.ip);
    const pod = ctx.inv.podByIp(dst.ip);
    const owner = pod?.node ?? ctx.inv.nodeByPodCidr(dst.ip) ?? ctx.inv.nodeByAddress(dst.ip);
    if (owner === node) {
      done({ kind: 'pod', pod, ip: dst.ip, port: dst.port, device: route?.device });
      continue;
    }
    // No routes captured at all is not "no route": the pod inventory can still name the node.
    const routesKnown = (inputs.routes?.length ?? 0) > 0;
    if (!route && routesKnown) {
      done({ kind: 'no-route' });
      continue;
    }
    const gwNode = route?.gateway ? ctx.inv.nodeByAddress(route.gateway) : undefined;
    // The kernel hands the packet to the gateway; when the gateway is no node (a router, a cloud
    // VPC route) the pod inventory says which node the pod lives on.
    const next = gwNode && gwNode !== node ? gwNode : owner;
    if (!next) {
      done({ kind: 'external', device: route?.device, gateway: route?.gateway });
      continue;
    }
    if (here.length >= MAX_NODES || here.some((l) => l.node === next && l.arrives.dst === dst.ip)) {
      done({ kind: 'loop' });
      continue;
    }
    const masqSrc = o.masquerade
      ? (o.snatTo ?? (route?.device ? view.addressOf(route.device, isIPv6(dst.ip)) : undefined))
      : undefined;
    const nextPacket: Packet = { src: masqSrc ?? arrives.src, dst: dst.ip, port: dst.port, proto: arrives.proto };
    if (arrives.sport !== undefined && !o.masquerade) nextPacket.sport = arrives.sport;
    const hop: Leg['via'] = { fromNode: node };
    if (route?.raw) hop.route = route.raw;
    if (route?.device) hop.device = route.device;
    if (route?.gateway) hop.gateway = route.gateway;
    step(ctx, next, nextPacket, hop, here, prob, out);
  }
}
