/**
 * Parser for `ip addr` / `ip -d addr` text (iproute2) into NetInterface[], plus `localAddresses`.
 *
 *   6: cali1234@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master cni0 state UP group default qlen 1000
 *       link/ether 2a:bd:7f:2d:d0:a3 brd ff:ff:ff:ff:ff:ff link-netns pod-a
 *       inet 10.244.1.1/24 brd 10.244.1.255 scope global secondary cni0:1
 *          valid_lft forever preferred_lft forever
 *       inet6 fe80::1/64 scope link
 * `@ifN` names the peer's ifindex in another netns (veth); `@name` a peer in the same netns.
 * For `ip -j addr` see ip-addr-json.ts; `parseIpAddr` accepts either and detects JSON.
 */
import type { InterfaceAddress, NetInterface } from '@/lib/model/interfaces';
import { IssueSink, type ParseOptions, type ParseResult } from '@/lib/parse/parse-result';
import { isIPv4, isIPv6 } from '@/lib/net/ip';
import { parseIpAddrJson } from '@/lib/parse/ip-addr-json';

const HEAD_RE = /^(\d+): ([^:@\s]+)(?:@([^:\s]+))?: <([^>]*)>(.*)$/;
/** Words `ip addr` prints after an address that are flags, not the label. */
const ADDR_FLAGS = new Set([
  'secondary',
  'primary',
  'temporary',
  'dynamic',
  'deprecated',
  'tentative',
  'dadfailed',
  'permanent',
  'nodad',
  'optimistic',
  'noprefixroute',
  'mngtmpaddr',
  'home',
  'autojoin',
  'stable-privacy',
]);
/** First words of `ip -d` detail lines (link kind and its attributes): known, not needed here. */
const DETAIL_WORDS =
  /^(veth|bridge|bridge_slave|dummy|vxlan|ipip|sit|gre|gretap|ip6tnl|tun|tap|macvlan|macvtap|ipvlan|geneve|wireguard|openvswitch|team|team_slave|bond|bond_slave|vlan|nlmon|vrf|ifb|netdevsim|addrgenmode|numtxqueues|altname|prop|alias|vf|xdp|prog\/xdp)\b/;

function parseHeader(m: RegExpExecArray): NetInterface {
  const iface: NetInterface = { index: Number(m[1]), name: m[2], flags: m[4] ? m[4].split(',') : [], addresses: [] };
  if (m[3]) iface.link = m[3];
  const words = m[5].trim().split(/\s+/);
  for (let i = 0; i < words.length - 1; i++) {
    const [k, v] = [words[i], words[i + 1]];
    if (k === 'mtu' && /^\d+$/.test(v)) iface.mtu = Number(v);
    else if (k === 'state') iface.state = v;
    else if (k === 'master') iface.master = v;
    else continue;
    i++;
  }
  return iface;
}

function parseAddress(words: string[], iface: NetInterface): InterfaceAddress | string {
  const family = words[0] as 'inet' | 'inet6';
  let addrText = words[1] ?? '';
  let i = 2;
  if (words[2] === 'peer') {
    // point-to-point: `inet 10.0.0.1 peer 10.0.0.2/32` — the local address is the first one
    addrText = `${addrText}/${(words[3] ?? '').split('/')[1] ?? (family === 'inet' ? 32 : 128)}`;
    i = 4;
  }
  const [address, plen] = addrText.includes('/') ? addrText.split('/') : [addrText, family === 'inet' ? '32' : '128'];
  const ok = family === 'inet' ? isIPv4(address) : isIPv6(address);
  if (!ok || !/^\d{1,3}$/.test(plen)) return `bad ${family} address "${addrText}"`;
  const addr: InterfaceAddress = { family, address, prefixLength: Number(plen) };
  for (; i < words.length; i++) {
    const w = words[i];
    if (w === 'brd' || w === 'broadcast') addr.broadcast = words[++i];
    else if (w === 'scope') addr.scope = words[++i];
    else if (w === 'metric' || w === 'proto') i++;
    else if (ADDR_FLAGS.has(w)) continue;
    else if (family === 'inet' && i === words.length - 1 && (w === iface.name || w.startsWith(`${iface.name}:`)))
      addr.label = w;
    else return `unrecognised address attribute "${w}"`;
  }
  return addr;
}

/** Parse `ip addr` text (or `ip -j addr` JSON, detected) into interfaces. */
export function parseIpAddr(text: string, opts: ParseOptions = {}): ParseResult<NetInterface[]> {
  if (/^\s*\[/.test(text)) return parseIpAddrJson(text, opts);
  const sink = new IssueSink('ip addr', opts.strict);
  const out: NetInterface[] = [];
  let cur: NetInterface | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const line = lines[n].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const head = HEAD_RE.exec(line);
    if (head) {
      cur = parseHeader(head);
      out.push(cur);
      continue;
    }
    const words = line.trim().split(/\s+/);
    if (!cur || !/^\s/.test(line)) {
      sink.add(lineNo, line, 'not an ip addr line (expected "N: name: <FLAGS> ...")');
      continue;
    }
    if (words[0].startsWith('link/')) {
      cur.linkType = words[0].slice(5);
      if (words[1] && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(words[1])) cur.mac = words[1];
    } else if (words[0] === 'inet' || words[0] === 'inet6') {
      const a = parseAddress(words, cur);
      if (typeof a === 'string') sink.add(lineNo, line, a);
      else cur.addresses.push(a);
    } else if (words[0] === 'valid_lft' || DETAIL_WORDS.test(words[0])) {
      // lifetimes and `ip -d` link details: not needed to trace
    } else {
      sink.add(lineNo, line, `unrecognised ip addr line for ${cur.name}`, 'warning');
    }
  }
  return { value: out, issues: sink.issues };
}

/**
 * Every address the node treats as its own (kernel `addrtype LOCAL`): all inet/inet6 addresses
 * on all interfaces, whatever the link state. This deliberately includes kube-ipvs0, whose
 * ClusterIPs make service VIPs local in IPVS mode even though the device is DOWN.
 */
export function localAddresses(interfaces: NetInterface[]): string[] {
  const seen = new Set<string>();
  for (const i of interfaces) for (const a of i.addresses) seen.add(a.address);
  return [...seen];
}
