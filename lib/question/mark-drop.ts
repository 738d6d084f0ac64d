/**
 * kube-proxy (before 1.25, and its IPVS/ETP=Local paths) asks for a drop by jumping to
 * KUBE-MARK-DROP, which kubelet fills with a MARK 0x8000 rule and enforces in its KUBE-FIREWALL
 * chain. Whether the drop happens is a property of the node, not of kube-proxy: the chain may be
 * empty (no kubelet rules), or the enforcing rule may sit only in INPUT/OUTPUT while the packet is
 * forwarded. The tracer walks the real rules; this reads what it saw and says which case it is.
 */
import type { Outcome } from '@/lib/model/trace';
import type { TraceInputs } from '@/lib/model/trace-inputs';
import type { Rule } from '@/lib/model/netfilter';
import { isIPv6 } from '@/lib/net/ip';

export interface MarkDrop {
  /** The rule that jumped to KUBE-MARK-DROP. */
  jump: { table: string; chain: string; line: number; raw: string; comment?: string };
  /** KUBE-MARK-DROP sets a mark (it has a MARK rule). */
  setsMark: boolean;
  /** A filter rule dropping packets with the 0x8000 mark exists on the node. */
  enforcer?: Rule;
  /** The packet met that rule (then the outcome is a drop and this is not a non-answer). */
  enforcedOnPath: boolean;
}

const MARK_DROP = 'KUBE-MARK-DROP';

export function markDropOf(inputs: TraceInputs, o: Outcome): MarkDrop | undefined {
  const jump = o.steps.find(
    (s) => (s.effect === 'jump' || s.effect === 'goto') && new RegExp(`-[jg] ${MARK_DROP}\\b`).test(s.raw),
  );
  if (!jump) return undefined;
  const dump = o.to && isIPv6(o.to.replace(/^\[|\]:\d+$/g, '')) ? inputs.ip6tables : inputs.iptables;
  const chain = dump?.tables.nat?.chains[MARK_DROP];
  const setsMark = !!chain?.rules.some((r) => r.target?.name === 'MARK');
  let enforcer: Rule | undefined;
  for (const c of Object.values(dump?.tables.filter?.chains ?? {})) {
    for (const r of c.rules) {
      if (r.target?.name !== 'DROP') continue;
      const m = r.matches.find((x) => x.name === 'mark');
      const v = m?.options.find((x) => x.name === 'mark');
      if (v && !v.negated && /^0x0*8000(\/0x0*8000)?$/i.test(v.values[0] ?? '')) enforcer ??= r;
    }
  }
  const enforcedOnPath =
    o.verdict === 'drop' && !!enforcer && o.steps.some((s) => s.line === enforcer!.line && s.effect === 'drop');
  const comment = jump.raw.match(/--comment (?:"([^"]*)"|(\S+))/);
  return {
    jump: {
      table: jump.table,
      chain: jump.chain,
      line: jump.line,
      raw: jump.raw,
      comment: comment?.[1] ?? comment?.[2],
    },
    setsMark,
    enforcer,
    enforcedOnPath,
  };
}
