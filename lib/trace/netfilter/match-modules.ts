/**
 * Evaluators for `-m module` blocks, for the FIRST packet of a NEW connection. Each returns
 * whether the module matches plus the words that explain it; modules we cannot evaluate are
 * assumed (in the direction that keeps the answer useful) and the assumption is reported.
 */
import type { MatchModule, RuleOption } from '@/lib/model/netfilter';
import type { IpSetList } from '@/lib/model/ipvs';
import type { Branch } from '@/lib/trace/core/branch';
import type { NodeView } from '@/lib/trace/core/node-view';
import { findOpt, optName, portInSpec, portInList, parseMarkMask, hex, moduleText } from '@/lib/trace/core/match-util';
import { packetInSet } from '@/lib/trace/netfilter/ipset-member';

export interface MatchEnv {
  node: NodeView;
  ipsets?: IpSetList;
  /** Built-in chain (hook) being walked: PREROUTING, INPUT, ... */
  hook: string;
}

export interface ModuleResult {
  ok: boolean;
  /** Probability that the module matches, when it is random (statistic): a branch point. */
  q?: number;
  why?: string;
  assumption?: string;
  /** Session-affinity note (recent --rcheck). */
  note?: string;
}

type Evaluator = (m: MatchModule, b: Branch, env: MatchEnv) => ModuleResult;

const neg = (o: RuleOption | undefined, v: boolean): boolean => (o?.negated ? !v : v);

function l4(m: MatchModule, b: Branch): ModuleResult {
  const parts: string[] = [];
  for (const o of m.options) {
    const n = optName(o);
    if (n === 'dport' || n === 'destination-port') {
      if (!neg(o, portInSpec(o.values[0], b.pkt.dport))) return { ok: false };
      parts.push(`dport ${b.pkt.dport} ${o.negated ? 'not ' : ''}in ${o.values[0]}`);
    } else if (n === 'sport' || n === 'source-port') {
      if (!neg(o, portInSpec(o.values[0], b.pkt.sport))) return { ok: false };
      parts.push(`sport ${b.pkt.sport} ${o.negated ? 'not ' : ''}in ${o.values[0]}`);
    } else if (n === 'syn') {
      // The first packet of a new TCP connection is a SYN.
      if (o.negated) return { ok: false };
      parts.push('first packet is a SYN');
    } else {
      return { ok: true, why: parts.join(', '), assumption: `${m.name} option --${n} not evaluated; assumed to match` };
    }
  }
  return { ok: true, why: parts.join(', ') || undefined };
}

function multiport(m: MatchModule, b: Branch): ModuleResult {
  const parts: string[] = [];
  for (const o of m.options) {
    const n = optName(o);
    const list = o.values[0] ?? '';
    let hit: boolean;
    if (n === 'dports' || n === 'destination-ports') hit = portInList(list, b.pkt.dport);
    else if (n === 'sports' || n === 'source-ports') hit = portInList(list, b.pkt.sport);
    else if (n === 'ports') hit = portInList(list, b.pkt.dport) || portInList(list, b.pkt.sport);
    else continue;
    if (!neg(o, hit)) return { ok: false };
    parts.push(`${n} ${o.negated ? '! ' : ''}${list}`);
  }
  return { ok: true, why: `multiport ${parts.join(' ')}` };
}

function addrtype(m: MatchModule, b: Branch, env: MatchEnv): ModuleResult {
  const parts: string[] = [];
  let assumption: string | undefined;
  // --limit-iface-in/out: the type is looked up on that interface only (LOCAL = an address of it).
  const limitIn = m.options.some((o) => optName(o) === 'limit-iface-in');
  const limitOut = m.options.some((o) => optName(o) === 'limit-iface-out');
  const iface = limitIn ? b.pkt.inIface : limitOut ? b.pkt.outIface : undefined;
  if ((limitIn || limitOut) && iface === undefined)
    assumption = `addrtype --limit-iface-${limitIn ? 'in' : 'out'}: interface unknown; the address type is taken from all interfaces`;
  for (const o of m.options) {
    const n = optName(o);
    if (n !== 'src-type' && n !== 'dst-type') continue;
    const ip = n === 'src-type' ? b.pkt.src : b.pkt.dst;
    const types = o.values[0].split(',');
    let local = env.node.isLocal(ip);
    if (local && iface !== undefined) local = env.node.interfaceOf(ip) === iface;
    let hit = false;
    for (const t of types) {
      if (t === 'LOCAL') hit ||= local;
      else if (t === 'UNICAST') hit ||= !local && !isMulticast(ip);
      else if (t === 'MULTICAST') hit ||= isMulticast(ip);
      else if (t === 'BROADCAST') hit ||= ip === '255.255.255.255';
      else assumption = `addrtype type ${t} not evaluated; assumed not to hold`;
    }
    if (!neg(o, hit)) return { ok: false };
    parts.push(
      `${n === 'src-type' ? 'source' : 'destination'} ${ip} is ${hit ? '' : 'not '}${types.join('/')}${iface ? ` on ${iface}` : ''}`,
    );
  }
  return { ok: true, why: parts.join(', '), assumption };
}

function isMulticast(ip: string): boolean {
  const first = Number(ip.split('.')[0]);
  return ip.includes(':') ? ip.toLowerCase().startsWith('ff') : first >= 224 && first <= 239;
}

function statistic(m: MatchModule): ModuleResult {
  const mode = findOpt(m, 'mode')?.values[0] ?? 'random';
  if (mode === 'random') {
    const o = findOpt(m, 'probability');
    const p = Number(o?.values[0] ?? '1');
    const q = o?.negated ? 1 - p : p;
    return { ok: true, q, why: `statistic random: taken with probability ${q}` };
  }
  const every = Number(findOpt(m, 'every')?.values[0] ?? '1');
  const o = findOpt(m, 'every');
  // The nth counter is shared by all packets; for one new connection it is 1 in `every`.
  const q = o?.negated ? 1 - 1 / every : 1 / every;
  return {
    ok: true,
    q,
    why: `statistic nth: every ${every}th packet, so probability ${q} for this one`,
    assumption: 'statistic --mode nth: counter position unknown; treated as random 1/every',
  };
}

function recent(m: MatchModule, b: Branch): ModuleResult {
  const name = findOpt(m, 'name')?.values[0] ?? 'DEFAULT';
  const secs = findOpt(m, 'seconds')?.values[0];
  const check = findOpt(m, 'rcheck', 'update');
  if (check) {
    // A new connection from this source has no history in /proc/net/xt_recent (the dump does not hold it).
    const seen = b.recent.includes(name);
    const note = `session affinity (${name}): the first connection picks an endpoint at random, then this client sticks to it${secs ? ` for ${secs} s` : ''}`;
    if (!neg(check, seen)) return { ok: false, note };
    return { ok: true, why: `recent list ${name} ${seen ? 'holds' : 'does not hold'} ${b.pkt.src}`, note };
  }
  if (findOpt(m, 'set')) {
    if (!b.recent.includes(name)) b.recent.push(name);
    return { ok: true, why: `records ${b.pkt.src} in recent list ${name}` };
  }
  if (findOpt(m, 'remove')) return { ok: false, why: `recent --remove: no entry for a first packet` };
  return { ok: true, assumption: `recent option not evaluated; assumed to match` };
}

function mark(m: MatchModule, b: Branch): ModuleResult {
  const o = findOpt(m, 'mark');
  if (!o) return { ok: true };
  const { value, mask } = parseMarkMask(o.values[0]);
  const hit = (b.mark & mask) >>> 0 === value;
  if (!neg(o, hit)) return { ok: false };
  return { ok: true, why: `mark ${hex(b.mark)} & ${hex(mask)} ${hit ? '==' : '!='} ${hex(value)}` };
}

function ctState(states: string[], b: Branch, withNat: boolean): boolean {
  if (b.untracked) return states.includes('UNTRACKED');
  for (const s of states) {
    if (s === 'NEW') return true;
    if (withNat && s === 'DNAT' && b.dnat) return true;
    if (withNat && s === 'SNAT' && (b.snat || b.masquerade)) return true;
    // ESTABLISHED, RELATED, INVALID, UNTRACKED: never for a new, tracked connection
  }
  return false;
}

function conntrack(m: MatchModule, b: Branch): ModuleResult {
  const parts: string[] = [];
  for (const o of m.options) {
    const n = optName(o);
    if (n === 'ctstate' || n === 'state') {
      const states = o.values[0].split(',');
      if (!neg(o, ctState(states, b, m.name === 'conntrack'))) return { ok: false };
      parts.push(
        `ctstate ${o.negated ? '! ' : ''}${states.join(',')} (${b.untracked ? 'untracked packet' : `a new connection${b.dnat ? ', DNATed' : ''}`})`,
      );
    } else if (n === 'ctdir') {
      if (!neg(o, o.values[0] === 'ORIGINAL')) return { ok: false };
    } else {
      return { ok: true, why: parts.join(', '), assumption: `conntrack --${n} not evaluated; assumed to match` };
    }
  }
  return { ok: true, why: parts.join(', ') };
}

function set(m: MatchModule, b: Branch, env: MatchEnv): ModuleResult {
  const o = findOpt(m, 'match-set');
  if (!o) return { ok: true, assumption: `${moduleText(m)} not evaluated; assumed to match` };
  const [name, flags = 'dst'] = o.values;
  const s = env.ipsets?.sets[name];
  if (!s) {
    const hit = false;
    return neg(o, hit)
      ? { ok: true, assumption: `ipset ${name} not in the inputs; assumed not to contain the packet` }
      : { ok: false, assumption: `ipset ${name} not in the inputs; assumed not to contain the packet` };
  }
  const hit = packetInSet(s, flags, b.pkt);
  if (hit === undefined)
    return { ok: true, assumption: `ipset ${name} (${s.type}) dimension not evaluated; assumed to match` };
  if (!neg(o, hit)) return { ok: false };
  return { ok: true, why: `${flags} ${hit ? 'in' : 'not in'} ipset ${name}` };
}

function physdev(m: MatchModule, b: Branch, env: MatchEnv): ModuleResult {
  // br_netfilter shows routed packets that entered through a bridge port (a pod's veth on cni0)
  // to iptables with physdev info. Bridge ports are known from ip addr (`master`); whether
  // the frame was bridged (not routed) cannot be told from the dumps.
  const inBridge = !!b.pkt.inIface && env.node.isBridge(b.pkt.inIface);
  const outBridge = !!b.pkt.outIface && env.node.isBridge(b.pkt.outIface);
  const parts: string[] = [];
  let assumption: string | undefined;
  for (const o of m.options) {
    const n = optName(o);
    let hit: boolean;
    if (n === 'physdev-is-in') hit = inBridge;
    else if (n === 'physdev-is-out') hit = outBridge;
    else if (n === 'physdev-is-bridged') {
      hit = false;
      assumption = 'physdev --physdev-is-bridged: the packet is assumed routed, not bridged';
    } else if (n === 'physdev-in' || n === 'physdev-out') {
      const side = n === 'physdev-in' ? inBridge : outBridge;
      hit = side;
      if (side) assumption = `physdev --${n} ${o.values[0]}: bridge port name unknown; assumed to match`;
    } else {
      assumption = `physdev --${n} not evaluated; assumed to match`;
      continue;
    }
    if (!neg(o, hit))
      return {
        ok: false,
        assumption: `physdev: packet ${inBridge ? `entered through a port of bridge ${b.pkt.inIface}` : 'did not enter through a bridge port'} (br_netfilter assumed on)`,
      };
    parts.push(`${o.negated ? '! ' : ''}--${n} (${hit ? 'true' : 'false'})`);
  }
  return {
    ok: true,
    why: `physdev ${parts.join(' ')}: ${inBridge ? `entered through a port of bridge ${b.pkt.inIface}` : 'not from a bridge port'}`,
    assumption:
      assumption ??
      `physdev: ${inBridge ? 'bridge port traffic' : 'packet assumed not bridged (no bridge port known for its incoming interface)'}`,
  };
}

const always =
  (why: string): Evaluator =>
  () => ({ ok: true, why });

export const MODULES: Record<string, Evaluator> = {
  tcp: l4,
  udp: l4,
  sctp: l4,
  udplite: l4,
  multiport,
  addrtype,
  statistic,
  recent,
  mark,
  conntrack,
  state: conntrack,
  set,
  physdev,
  comment: always(''),
  nfacct: always('nfacct counts the packet'),
  icmp: (_m, b) => ({ ok: false, why: `${b.pkt.proto} packet is not ICMP` }),
  icmp6: (_m, b) => ({ ok: false, why: `${b.pkt.proto} packet is not ICMPv6` }),
};

/** Evaluate one module; unknown modules are assumed to match and say so. */
export function evalModule(m: MatchModule, b: Branch, env: MatchEnv): ModuleResult {
  const f = MODULES[m.name];
  if (f) return f(m, b, env);
  return { ok: true, assumption: `match '${moduleText(m)}' not evaluated; assumed to match` };
}
