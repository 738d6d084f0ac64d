/**
 * The packet question shared by `trace` and `report`: --src --dst --port [--proto] [--sport], and
 * choosing a node from a snapshot. Every bad value is a UsageError naming the flag.
 */
import { UsageError, type ParsedArgs } from '@/cli/args';
import type { Packet, Protocol } from '@/lib/model/trace';
import type { ClusterSnapshot, NodeCapture } from '@/lib/model/snapshot';
import { isIPv4, isIPv6, normalizeIp } from '@/lib/net/ip';

export const PACKET_FLAGS = ['src', 'dst', 'port', 'proto', 'sport'];

function ipFlag(a: ParsedArgs, name: string): string {
  const v = a.values[name];
  if (!v) throw new UsageError(`--${name} is required`);
  if (!isIPv4(v) && !isIPv6(v)) throw new UsageError(`--${name} ${JSON.stringify(v)} is not an IPv4 or IPv6 address`);
  return normalizeIp(v)!;
}

function portFlag(a: ParsedArgs, name: string, required: boolean): number | undefined {
  const v = a.values[name];
  if (v === undefined) {
    if (required) throw new UsageError(`--${name} is required`);
    return undefined;
  }
  if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535)
    throw new UsageError(`--${name} ${JSON.stringify(v)} is not a port (1-65535)`);
  return Number(v);
}

export function packetFromArgs(a: ParsedArgs): Packet {
  const proto = (a.values.proto ?? 'tcp').toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp')
    throw new UsageError(`--proto ${JSON.stringify(a.values.proto)} must be tcp, udp or sctp`);
  const src = ipFlag(a, 'src');
  const dst = ipFlag(a, 'dst');
  if (isIPv4(src) !== isIPv4(dst)) throw new UsageError('--src and --dst must be the same IP family');
  const p: Packet = { src, dst, port: portFlag(a, 'port', true)!, proto: proto as Protocol };
  const sport = portFlag(a, 'sport', false);
  if (sport !== undefined) p.sport = sport;
  return p;
}

/** `--node` may be left out when the snapshot holds exactly one node. */
export function pickNode(snap: ClusterSnapshot, want: string | undefined): NodeCapture {
  const names = snap.nodes.map((n) => n.name);
  if (!want && snap.nodes.length !== 1)
    throw new UsageError(`the snapshot holds ${snap.nodes.length} nodes (${names.join(', ')}): choose one with --node`);
  const node = want ? snap.nodes.find((n) => n.name === want) : snap.nodes[0];
  if (!node)
    throw new UsageError(`node ${JSON.stringify(want)} is not in the snapshot (nodes: ${names.join(', ') || 'none'})`);
  return node;
}
