/**
 * The source decides the node. A pod (or an address a pod has) is traced on that pod's node, a
 * node source on that node (its address from the API Node object, or from the node's own captured
 * `ip addr` when the API does not list it, as for the IPVS fixture node). An outside address needs
 * the node the packet arrives on; it is never guessed. A node that differs from the source's own
 * node is a what-if and is said so.
 */
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { isIPv4, isIPv6, normalizeIp } from '@/lib/net/ip';
import type { Inventory } from './inventory';

export class QuestionError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-found' | 'invalid-request',
    readonly field: 'src' | 'dst' | 'node',
  ) {
    super(message);
    this.name = 'QuestionError';
  }
}

export interface ResolvedSource {
  ip: string;
  kind: 'pod' | 'node' | 'address';
  /** "pod default/edge-2 (10.244.2.4)" */
  label: string;
  /** Short name for sentences: "edge-2", "node-3-ipvs", "10.0.0.9". */
  short: string;
  /** The node the source itself lives on (undefined for an outside address). */
  home?: string;
}

/** `dst` picks the source address family (a dual-stack pod asking an IPv6 Service uses its IPv6 address). */
export function resolveSource(snap: ClusterSnapshot, inv: Inventory, src: string, dst?: string): ResolvedSource {
  const v6 = dst !== undefined && isIPv6(dst);
  if (src.startsWith('pod:')) {
    const [ns, name] = src.slice(4).split('/');
    const pod = snap.api?.pods.find((p) => p.namespace === ns && p.name === name);
    if (!pod) throw new QuestionError(`unknown pod "${ns}/${name}"`, 'not-found', 'src');
    const ip = pod.podIPs.find((a) => (v6 ? isIPv6(a) : isIPv4(a)));
    if (!ip)
      throw new QuestionError(
        `pod ${ns}/${name} has no ${v6 ? 'IPv6' : 'IPv4'} address${pod.podIPs.length ? ` (it has ${pod.podIPs.join(', ')})` : ''}`,
        'invalid-request',
        'src',
      );
    if (!pod.nodeName)
      throw new QuestionError(`pod ${ns}/${name} is not scheduled on a node`, 'invalid-request', 'src');
    return { ip, kind: 'pod', label: `pod ${ns}/${name} (${ip})`, short: name, home: pod.nodeName };
  }
  if (src.startsWith('node:')) {
    const name = src.slice(5);
    if (!inv.knows(name))
      throw new QuestionError(
        `unknown node "${name}"; this snapshot has ${snap.nodes.map((n) => n.name).join(', ')}`,
        'not-found',
        'src',
      );
    const ip = inv.nodeAddress(name);
    if (!ip)
      throw new QuestionError(
        `node ${name} has no known address (not in the API's Node list, and its captured ip addr shows none)`,
        'invalid-request',
        'src',
      );
    return { ip, kind: 'node', label: `node ${name} (${ip})`, short: name, home: name };
  }
  if (!isIPv4(src) && !isIPv6(src))
    throw new QuestionError(
      `source ${JSON.stringify(src)} is not pod:NS/NAME, node:NAME or an IP address`,
      'invalid-request',
      'src',
    );
  const ip = normalizeIp(src)!;
  const pod = inv.podByIp(ip);
  if (pod?.node)
    return { ip, kind: 'pod', label: `pod ${pod.namespace}/${pod.name} (${ip})`, short: pod.name, home: pod.node };
  const node = inv.nodeByAddress(ip);
  if (node) return { ip, kind: 'node', label: `node ${node} (${ip})`, short: node, home: node };
  return { ip, kind: 'address', label: `address ${ip}`, short: ip };
}
