/**
 * A hash index over big chains (KUBE-SERVICES with 10k services), keyed the way IPVS hashes
 * virtual services: (destination /32, protocol, dport) — or (any, protocol, dport) for rules
 * without -d, like KUBE-NODEPORTS. A rule that carries all three as
 * positive matches can only match packets with exactly that key, whatever else it checks, so
 * the candidates for a packet are its key's rules merged in order with every rule that lacks
 * such a key. Each candidate is still fully evaluated: the index only skips rules that
 * cannot match, so the walk gives exactly the linear result.
 */
import type { Chain, Rule } from '@/lib/model/netfilter';
import type { PacketState } from '@/lib/trace/core/branch';
import { cachedCidr, normIp } from '@/lib/trace/core/match-util';
import { normalizeIp } from '@/lib/net/ip';

interface ChainIndex {
  byKey: Map<string, number[]>;
  /** Rules that cannot be keyed, in order. */
  generic: number[];
}

const indexes = new WeakMap<Chain, ChainIndex>();

/** Default minimum chain length worth indexing. */
export const INDEX_MIN_RULES = 64;

/** `ip|proto|dport`, or `*|proto|dport` for a rule with no -d at all (KUBE-NODEPORTS). */
function ruleKey(r: Rule): string | undefined {
  const d = r.destination;
  let ipKey = '*';
  if (d) {
    if (d.negated) return undefined;
    const c = cachedCidr(d.value);
    if (!c || c.prefix !== (c.family === 4 ? 32 : 128)) return undefined;
    ipKey = normalizeIp(d.value.split('/')[0]) ?? '';
    if (!ipKey) return undefined;
  }
  const p = r.protocol;
  if (!p || p.negated) return undefined;
  const proto = p.value.toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') return undefined;
  let dport: string | undefined;
  for (const m of r.matches) {
    if (m.name !== proto) continue;
    for (const o of m.options) {
      const n = o.name.replace(/^-+/, '');
      if ((n === 'dport' || n === 'destination-port') && !o.negated && /^\d+$/.test(o.values[0] ?? ''))
        dport = o.values[0];
    }
  }
  if (dport === undefined) return undefined;
  return `${ipKey}|${proto}|${Number(dport)}`;
}

function build(chain: Chain): ChainIndex {
  const idx: ChainIndex = { byKey: new Map(), generic: [] };
  chain.rules.forEach((r, i) => {
    const k = ruleKey(r);
    if (k === undefined) idx.generic.push(i);
    else {
      const list = idx.byKey.get(k);
      if (list) list.push(i);
      else idx.byKey.set(k, [i]);
    }
  });
  return idx;
}

/**
 * Rule indices (ascending, all ≥ start) that may match `pkt`, or null when the chain is too
 * small to bother (walk it linearly).
 */
export function candidateRules(
  chain: Chain,
  pkt: PacketState,
  start: number,
  minRules = INDEX_MIN_RULES,
): number[] | null {
  if (chain.rules.length < minRules) return null;
  let idx = indexes.get(chain);
  if (!idx) {
    idx = build(chain);
    indexes.set(chain, idx);
  }
  const ip = normIp(pkt.dst) ?? pkt.dst;
  const keyed = idx.byKey.get(`${ip}|${pkt.proto}|${pkt.dport}`) ?? [];
  const anyDst = idx.byKey.get(`*|${pkt.proto}|${pkt.dport}`);
  return mergeFrom(anyDst ? mergeFrom(keyed, anyDst, 0) : keyed, idx.generic, start);
}

function mergeFrom(a: number[], b: number[], start: number): number[] {
  const out: number[] = [];
  let i = lowerBound(a, start);
  let j = lowerBound(b, start);
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

function lowerBound(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
