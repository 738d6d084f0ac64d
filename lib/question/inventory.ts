/**
 * What the snapshot knows about who owns an address: pods (API pods and their IPs), nodes (API
 * Node addresses and each collected node's own `ip addr`), node pod CIDRs, Services and the
 * addresses the API lists as endpoints. The path walk asks it which node a packet reaches and the
 * verdict asks it whether the DNAT target exists; nothing here is guessed from rules.
 */
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { ServiceModel } from '@/lib/model/k8s';
import type { TraceInputs } from '@/lib/model/trace-inputs';
import type { PodRef } from '@/lib/model/graph';
import { cidrContains, normalizeIp, parseCidr, parseIp, formatIp } from '@/lib/net/ip';

/** A pod as the inventory knows it: the graph's pod identity plus whether it shares its node's netns. */
export interface InventoryPod extends PodRef {
  hostNetwork: boolean;
}

export interface Inventory {
  /** True when the snapshot carries API objects (without them nothing can be called stale). */
  hasApi: boolean;
  podByIp(ip: string): InventoryPod | undefined;
  /** Node owning the address (an API Node address or an address on the node's own interfaces). */
  nodeByAddress(ip: string): string | undefined;
  /** Node whose API pod CIDR holds the address. */
  nodeByPodCidr(ip: string): string | undefined;
  /** The node's own address for a node source: API InternalIP, else its captured interfaces. */
  nodeAddress(node: string): string | undefined;
  /** Services by ClusterIP / external IP / LB IP. */
  serviceByClusterIp(ip: string): ServiceModel | undefined;
  serviceByExternalIp(ip: string): ServiceModel | undefined;
  /** Listed by an EndpointSlice (a non-pod endpoint such as the apiserver is still real). */
  isEndpointAddress(ip: string): boolean;
  /** The range ClusterIPs are taken from, as far as the snapshot shows it (see serviceRange). */
  serviceRange?: string;
  /** True when `node` is in the snapshot and was collected. */
  collected(node: string): boolean;
  /** Node names known at all (captured or in the API). */
  knows(node: string): boolean;
}

const norm = (ip: string): string => normalizeIp(ip) ?? ip;

/** Device names that never carry a node's own primary address. */
const NOT_PRIMARY =
  /^(lo|kube-ipvs0|docker\d*|cni\d*|cbr\d*|cali|veth|flannel|vxlan|tunl|cilium|antrea|genev|nodelocaldns)/;

/**
 * A collected node's own address from its captures: the address on the default route's device,
 * else the first global IPv4 on an interface that is not loopback, a Service dummy or a pod-side
 * device (the IPVS fixture node has no default route and is in no API Node list).
 */
export function capturedNodeAddress(inputs: TraceInputs): string | undefined {
  const itfs = inputs.interfaces ?? [];
  const globalV4 = (name: string) =>
    itfs
      .find((i) => i.name === name)
      ?.addresses.find((a) => a.family === 'inet' && a.scope !== 'host' && a.scope !== 'link')?.address;
  const def = inputs.routes?.find(
    (r) => r.destination === 'default' && (r.table === undefined || r.table === 'main') && r.device,
  );
  if (def?.source) return def.source;
  if (def?.device && globalV4(def.device)) return globalV4(def.device);
  for (const i of itfs) {
    if (NOT_PRIMARY.test(i.name)) continue;
    const a = globalV4(i.name);
    if (a) return a;
  }
  return undefined;
}

/**
 * The Service range as far as the snapshot shows it: the smallest block holding every IPv4
 * ClusterIP, widened to at least a /16 (a range is at least as wide as what was allocated from it,
 * and the apiserver's service-cluster-ip-range is not captured). Undefined without ClusterIPs.
 */
export function serviceRange(services: ServiceModel[]): string | undefined {
  const ips = services
    .flatMap((s) => s.clusterIPs)
    .map((ip) => parseIp(ip))
    .filter((p) => p && p.family === 4) as { family: 4; value: bigint }[];
  if (!ips.length) return undefined;
  let prefix = 32;
  const first = ips[0].value;
  for (const p of ips) while (prefix > 0 && p.value >> BigInt(32 - prefix) !== first >> BigInt(32 - prefix)) prefix--;
  prefix = Math.min(prefix, 16);
  const net = prefix === 0 ? 0n : (first >> BigInt(32 - prefix)) << BigInt(32 - prefix);
  return `${formatIp(4, net)}/${prefix}`;
}

export function buildInventory(snap: ClusterSnapshot, inputsOf: (node: string) => TraceInputs | undefined): Inventory {
  const api = snap.api;
  const pods = new Map<string, InventoryPod>();
  for (const p of api?.pods ?? []) {
    if (p.hostNetwork) continue; // a hostNetwork pod's IP is its node's: the node owns it
    for (const ip of p.podIPs)
      pods.set(norm(ip), { namespace: p.namespace, name: p.name, node: p.nodeName, hostNetwork: false });
  }
  const nodeAddrs = new Map<string, string>();
  const apiAddr = new Map<string, string>();
  for (const n of api?.nodes ?? []) {
    for (const a of n.addresses) if (parseIp(a.address)) nodeAddrs.set(norm(a.address), n.name);
    const internal = n.addresses.find((a) => a.type === 'InternalIP' && parseIp(a.address))?.address;
    if (internal) apiAddr.set(n.name, internal);
  }
  const captured = new Map<string, string | undefined>();
  for (const n of snap.nodes) {
    if (n.error) continue;
    const inputs = inputsOf(n.name);
    captured.set(n.name, inputs ? capturedNodeAddress(inputs) : undefined);
    for (const itf of inputs?.interfaces ?? []) {
      if (itf.name === 'lo' || itf.name === 'kube-ipvs0') continue; // VIPs and loopback are on every node
      for (const a of itf.addresses)
        if (a.scope !== 'host' && a.scope !== 'link' && !nodeAddrs.has(norm(a.address)))
          nodeAddrs.set(norm(a.address), n.name);
    }
  }
  const cidrs = (api?.nodes ?? [])
    .flatMap((n) => n.podCIDRs.map((c) => ({ node: n.name, cidr: parseCidr(c) })))
    .filter((x) => x.cidr);
  const byCluster = new Map<string, ServiceModel>();
  const byExternal = new Map<string, ServiceModel>();
  for (const s of api?.services ?? []) {
    for (const ip of s.clusterIPs) if (parseIp(ip)) byCluster.set(norm(ip), s);
    for (const ip of [...s.externalIPs, ...s.loadBalancerIPs]) if (parseIp(ip)) byExternal.set(norm(ip), s);
  }
  const endpointAddrs = new Set(
    (api?.endpointSlices ?? []).flatMap((e) => e.endpoints.flatMap((x) => x.addresses.map(norm))),
  );
  return {
    hasApi: !!api,
    podByIp: (ip) => pods.get(norm(ip)),
    nodeByAddress: (ip) => nodeAddrs.get(norm(ip)),
    nodeByPodCidr: (ip) => cidrs.find((c) => cidrContains(c.cidr!, ip))?.node,
    nodeAddress: (node) => apiAddr.get(node) ?? captured.get(node),
    serviceByClusterIp: (ip) => byCluster.get(norm(ip)),
    serviceByExternalIp: (ip) => byExternal.get(norm(ip)),
    isEndpointAddress: (ip) => endpointAddrs.has(norm(ip)),
    serviceRange: serviceRange(api?.services ?? []),
    collected: (node) => snap.nodes.some((n) => n.name === node && !n.error),
    knows: (node) => snap.nodes.some((n) => n.name === node) || (api?.nodes ?? []).some((n) => n.name === node),
  };
}
