/**
 * Parser for `ip -j addr` (iproute2 JSON) into the same NetInterface[] as the text parser.
 * Field map: ifindex→index, ifname→name, link (peer name) or link_index (peer ifindex, shown
 * as `ifN` like the text form), operstate→state, link_type→linkType, address→mac,
 * addr_info[].local/prefixlen/scope/broadcast/label.
 * Line numbers: `ip -j` prints one line, so issue lines are the 1-based interface position.
 */
import type { InterfaceAddress, NetInterface } from '@/lib/model/interfaces';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';
import { parseJsonWithPosition } from '@/lib/parse/json-position';
import { isIPv4, isIPv6 } from '@/lib/net/ip';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function toAddress(a: Obj): InterfaceAddress | string {
  const family = a.family;
  const local = a.local;
  if ((family !== 'inet' && family !== 'inet6') || typeof local !== 'string')
    return 'address entry without family/local';
  if (family === 'inet' ? !isIPv4(local) : !isIPv6(local)) return `bad ${family} address "${local}"`;
  const plen = typeof a.prefixlen === 'number' ? a.prefixlen : family === 'inet' ? 32 : 128;
  const out: InterfaceAddress = { family, address: local, prefixLength: plen };
  if (typeof a.scope === 'string') out.scope = a.scope;
  if (typeof a.broadcast === 'string') out.broadcast = a.broadcast;
  if (typeof a.label === 'string' && family === 'inet') out.label = a.label;
  return out;
}

/** Parse `ip -j addr` output. */
export function parseIpAddrJson(text: string, opts: ParseOptions = {}): ParseResult<NetInterface[]> {
  const sink = new IssueSink('ip -j addr', opts.strict);
  const doc = parseJsonWithPosition(text, sink);
  if (doc === undefined) return { value: [], issues: sink.issues };
  if (!Array.isArray(doc)) {
    sink.add(1, text.split('\n')[0] ?? '', 'not ip -j addr output (expected a JSON array)');
    return { value: [], issues: sink.issues };
  }
  const out: NetInterface[] = [];
  doc.forEach((item: unknown, idx: number) => {
    const pos = idx + 1;
    const raw = JSON.stringify(item) ?? '';
    if (!isObj(item) || typeof item.ifindex !== 'number' || typeof item.ifname !== 'string') {
      sink.add(pos, raw, 'interface entry without ifindex/ifname');
      return;
    }
    const iface: NetInterface = {
      index: item.ifindex,
      name: item.ifname,
      flags: Array.isArray(item.flags) ? item.flags.map(String) : [],
      addresses: [],
    };
    if (typeof item.link === 'string') iface.link = item.link;
    else if (typeof item.link_index === 'number') iface.link = `if${item.link_index}`;
    if (typeof item.mtu === 'number') iface.mtu = item.mtu;
    if (typeof item.operstate === 'string') iface.state = item.operstate;
    if (typeof item.link_type === 'string') iface.linkType = item.link_type;
    if (typeof item.address === 'string') iface.mac = item.address;
    if (typeof item.master === 'string') iface.master = item.master;
    for (const a of Array.isArray(item.addr_info) ? item.addr_info : []) {
      const addr = isObj(a) ? toAddress(a) : 'address entry is not an object';
      if (typeof addr === 'string') sink.add(pos, raw, `${iface.name}: ${addr}`);
      else iface.addresses.push(addr);
    }
    out.push(iface);
  });
  return { value: out, issues: sink.issues };
}
