/**
 * Does one iptables rule match the packet of a branch? Checks the header (`-s -d -i -o -p -f`)
 * in iptables-save's canonical order (cheapest first, so 10k KUBE-SERVICES rules cost little),
 * then each `-m` module in rule order. Returns the words that explain the match.
 */
import type { Rule } from '@/lib/model/netfilter';
import type { Branch } from '@/lib/trace/core/branch';
import { inCidr, ifaceMatches } from '@/lib/trace/core/match-util';
import { evalModule } from '@/lib/trace/netfilter/match-modules';
import type { MatchEnv } from '@/lib/trace/netfilter/match-modules';

export interface RuleMatch {
  ok: boolean;
  /** Probability the rule matches (statistic), when it is a branch point. */
  q?: number;
  why: string[];
  assumptions: string[];
  notes: string[];
}

const NO: RuleMatch = { ok: false, why: [], assumptions: [], notes: [] };

const PROTO_NUMBERS: Record<string, string> = {
  '6': 'tcp',
  '17': 'udp',
  '132': 'sctp',
  '1': 'icmp',
  '58': 'ipv6-icmp',
};

/** Hooks where the incoming / outgoing interface is defined (iptables rejects -i/-o elsewhere). */
const HAS_IN = new Set(['PREROUTING', 'INPUT', 'FORWARD']);
const HAS_OUT = new Set(['OUTPUT', 'FORWARD', 'POSTROUTING']);

export function matchRule(rule: Rule, b: Branch, env: MatchEnv): RuleMatch {
  const why: string[] = [];
  const assumptions: string[] = [];
  const notes: string[] = [];
  const p = b.pkt;
  if (rule.destination) {
    const hit = inCidr(rule.destination.value, p.dst);
    if (hit === rule.destination.negated) return NO;
    why.push(`destination ${p.dst} ${hit ? 'is in' : 'is not in'} ${rule.destination.value}`);
  }
  if (rule.source) {
    const hit = inCidr(rule.source.value, p.src);
    if (hit === rule.source.negated) return NO;
    why.push(`source ${p.src} ${hit ? 'is in' : 'is not in'} ${rule.source.value}`);
  }
  if (rule.protocol) {
    const v = PROTO_NUMBERS[rule.protocol.value] ?? rule.protocol.value.toLowerCase();
    const hit = v === 'all' || v === '0' || v === p.proto;
    if (hit === rule.protocol.negated) return NO;
    if (v !== 'all') why.push(`protocol ${p.proto}`);
  }
  if (rule.inInterface) {
    const r = ifaceCheck(rule.inInterface, p.inIface, HAS_IN.has(env.hook), 'in');
    if (!r.ok) return NO;
    if (r.why) why.push(r.why);
    if (r.assumption) assumptions.push(r.assumption);
  }
  if (rule.outInterface) {
    const r = ifaceCheck(rule.outInterface, p.outIface, HAS_OUT.has(env.hook), 'out');
    if (!r.ok) return NO;
    if (r.why) why.push(r.why);
    if (r.assumption) assumptions.push(r.assumption);
  }
  if (rule.fragment) {
    // The first packet of a connection is never a non-first fragment.
    if (!rule.fragment.negated) return NO;
  }
  let q: number | undefined;
  for (const m of rule.matches) {
    const r = evalModule(m, b, env);
    if (r.note) notes.push(r.note);
    if (!r.ok) {
      if (r.assumption) return { ok: false, why, assumptions: [r.assumption], notes };
      return notes.length ? { ok: false, why: [], assumptions: [], notes } : NO;
    }
    if (r.q !== undefined) q = q === undefined ? r.q : q * r.q;
    if (r.why) why.push(r.why);
    if (r.assumption) assumptions.push(r.assumption);
  }
  return { ok: true, q, why, assumptions, notes };
}

function ifaceCheck(
  spec: { value: string; negated: boolean },
  actual: string | undefined,
  defined: boolean,
  dir: 'in' | 'out',
): { ok: boolean; why?: string; assumption?: string } {
  const flag = dir === 'in' ? '-i' : '-o';
  if (!defined) return { ok: true, why: undefined };
  if (actual === undefined) {
    return {
      ok: true,
      assumption: `${spec.negated ? '! ' : ''}${flag} ${spec.value}: ${dir === 'in' ? 'incoming' : 'outgoing'} interface unknown; assumed to match`,
    };
  }
  const hit = ifaceMatches(spec.value, actual);
  if (hit === spec.negated) return { ok: false };
  return {
    ok: true,
    why: `${dir === 'in' ? 'arrives on' : 'leaves via'} ${actual}${spec.negated ? ` (not ${spec.value})` : ''}`,
  };
}
