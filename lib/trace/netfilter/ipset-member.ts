/**
 * `-m set --match-set NAME dir,dir,...`: picks the packet value for each dimension of the set
 * type (`hash:ip,port,ip` + `dst,dst,src` → dst IP, proto:dport, src IP) and asks the ipset
 * parser's membership test, which follows the kernel's rules (nets, nomatch, bitmap:port).
 */
import type { IpSet } from '@/lib/model/ipvs';
import type { PacketState } from '@/lib/trace/core/branch';
import { ipSetDimensions, matchIpSetMember } from '@/lib/parse/ipset-match';

/**
 * True when the packet is in `set` for the given direction flags; undefined when a dimension
 * (mark, iface, mac) cannot be filled from the packet.
 */
export function packetInSet(set: IpSet, flags: string, pkt: PacketState): boolean | undefined {
  const dims = set.type.startsWith('bitmap:') ? [set.type.slice(7)] : ipSetDimensions(set.type);
  if (!dims) return undefined;
  const dirs = flags.split(',');
  const parts: string[] = [];
  for (let i = 0; i < dims.length; i++) {
    const isSrc = (dirs[i] ?? dirs[dirs.length - 1]) === 'src';
    const d = dims[i];
    if (d === 'ip' || d === 'net') parts.push(isSrc ? pkt.src : pkt.dst);
    else if (d === 'port') parts.push(`${pkt.proto}:${isSrc ? pkt.sport : pkt.dport}`);
    else return undefined;
  }
  return matchIpSetMember(set, parts);
}
