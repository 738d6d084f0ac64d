/**
 * ipset membership test, as the kernel's `-m set --match-set NAME dir,dir,...` evaluates it.
 *
 * The set type names its dimensions (`hash:ip,port,net` → ip, port, net); the caller passes one
 * packet value per dimension, already picked by the rule's src/dst flags:
 *   ip   → an address, compared for equality (after the header's `netmask` if any)
 *   net  → an address, matched when inside the member CIDR (longest/nomatch rules below)
 *   port → `proto:port` (e.g. `tcp:443`); a bare port means tcp, as in ipset's own syntax
 *   bitmap:port → a port (`30080` or `tcp:30080`; bitmap:port keys only the port number)
 * Members flagged `nomatch` in hash:*net* sets make the lookup fail for that sub-net: the kernel
 * picks the most specific matching CIDR and returns "no match" if that element has nomatch.
 */
import type { IpSet } from '@/lib/model/ipvs';
import { cidrContains, familyBits, normalizeIp, parseCidr, parseIp } from '@/lib/net/ip';

type Dim = 'ip' | 'net' | 'port' | 'iface' | 'mark' | 'mac';

/** The dimensions of a set type, or undefined for a type this helper does not model. */
export function ipSetDimensions(type: string): Dim[] | undefined {
  const m = /^(hash|bitmap|list):(.+)$/.exec(type);
  if (!m || m[1] === 'list') return undefined;
  const dims = m[2].split(',');
  if (!dims.every((d) => ['ip', 'net', 'port', 'iface', 'mark', 'mac'].includes(d))) return undefined;
  return dims as Dim[];
}

function normPort(text: string): string | undefined {
  const m = /^(?:([a-z0-9-]+):)?(\d{1,5})$/i.exec(text.trim());
  if (!m) return undefined;
  return `${(m[1] ?? 'tcp').toLowerCase()}:${Number(m[2])}`;
}

function maskedIp(text: string, netmask: number | undefined): string | undefined {
  if (netmask === undefined) return normalizeIp(text);
  const c = parseCidr(`${text}/${netmask}`);
  return c ? `${c.family}/${c.network}` : undefined;
}

/** Compare one dimension. Returns the CIDR prefix length for `net` matches (for specificity). */
function matchDim(dim: Dim, member: string, value: string, netmask?: number): number | false {
  switch (dim) {
    case 'ip': {
      // hash:ip members may be printed as CIDRs when the set has a netmask; compare masked.
      const memberIp = member.includes('/') ? member.slice(0, member.indexOf('/')) : member;
      const a = maskedIp(memberIp, netmask);
      return a !== undefined && a === maskedIp(value, netmask) ? 0 : false;
    }
    case 'net': {
      const c = parseCidr(member);
      return c && cidrContains(c, value) ? c.prefix : false;
    }
    case 'port': {
      const a = normPort(member);
      return a !== undefined && a === normPort(value) ? 0 : false;
    }
    case 'mac':
      return member.toLowerCase() === value.toLowerCase() ? 0 : false;
    default:
      return member === value ? 0 : false;
  }
}

/**
 * True when the packet tuple `parts` is in `set`. `parts` has one value per set dimension, in the
 * order of the type name (see the module comment). Unknown set types never match.
 */
export function matchIpSetMember(set: IpSet, parts: string[]): boolean {
  if (set.type === 'bitmap:port') {
    const want = /(\d+)$/.exec(parts[0] ?? '')?.[1];
    if (want === undefined) return false;
    return set.members.some((m) => {
      const range = /^(\d+)-(\d+)$/.exec(m.entry);
      if (range) return Number(want) >= Number(range[1]) && Number(want) <= Number(range[2]);
      return Number(m.entry) === Number(want);
    });
  }
  if (set.type === 'bitmap:ip')
    return set.members.some((m) => matchDim(m.entry.includes('/') ? 'net' : 'ip', m.entry, parts[0] ?? '') !== false);
  const dims = ipSetDimensions(set.type);
  if (!dims || parts.length !== dims.length) return false;
  // An IPv4 packet is never looked up in a family inet6 set (and vice versa).
  const firstIpDim = dims.findIndex((d) => d === 'ip' || d === 'net');
  if (firstIpDim >= 0) {
    const ip = parseIp(parts[firstIpDim]);
    if (!ip) return false;
    const setFamily = set.family === 'inet6' ? 6 : 4;
    if (ip.family !== setFamily) return false;
  }
  const nm = /\bnetmask (\d+)\b/.exec(set.header);
  const netmask =
    nm && firstIpDim >= 0 && Number(nm[1]) < familyBits(set.family === 'inet6' ? 6 : 4) ? Number(nm[1]) : undefined;
  let best: { specificity: number; nomatch: boolean } | undefined;
  for (const m of set.members) {
    const nomatch = m.entry.endsWith(' nomatch');
    const fields = (nomatch ? m.entry.slice(0, -' nomatch'.length) : m.entry).split(',');
    if (fields.length !== dims.length) continue;
    let specificity = 0;
    let ok = true;
    for (let i = 0; i < dims.length && ok; i++) {
      const r = matchDim(dims[i], fields[i], parts[i], netmask);
      if (r === false) ok = false;
      else specificity += r;
    }
    if (ok && (!best || specificity > best.specificity)) best = { specificity, nomatch };
  }
  return best !== undefined && !best.nomatch;
}
