/**
 * What a node's kube-proxy actually programmed, read from its parsed iptables-save: for each
 * KUBE-SVC-/KUBE-SVL- chain, the endpoints its KUBE-SEP- chains DNAT to, plus the "has no
 * endpoints" REJECT rules. Everything keeps the rule line so findings can cite it.
 */
import type { NetfilterDump, Rule } from '@/lib/model/netfilter';

export interface ActualServiceChain {
  chain: string;
  /** Suffix shared with the Service port hash. */
  hash: string;
  /** From KUBE-SERVICES' comment, e.g. `ns1/svc1:p80` (absent if no jump to this chain). */
  spn?: string;
  /** `ip:port` → the DNAT rule. */
  endpoints: Map<string, Rule>;
  declLine: number;
}

export interface ActualRules {
  chains: Map<string, ActualServiceChain>;
  /** `ns/name:port` → the REJECT rule saying it has no endpoints. */
  noEndpoints: Map<string, Rule>;
}

const SVC = /^KUBE-(SVC|SVL)-([A-Z2-7]{16})$/;

function dnatDestination(rule: Rule): string | undefined {
  if (rule.target?.name !== 'DNAT') return undefined;
  const to = rule.target.options.find((o) => o.name === 'to-destination')?.values[0];
  return to?.replace(/-.*$/, ''); // a range "a-b" never comes from kube-proxy; keep the first
}

export function readActualRules(dump: NetfilterDump): ActualRules {
  const nat = dump.tables.nat;
  const chains = new Map<string, ActualServiceChain>();
  const noEndpoints = new Map<string, Rule>();
  for (const table of Object.values(dump.tables)) {
    for (const chain of Object.values(table?.chains ?? {})) {
      for (const rule of chain.rules) {
        const m = /^(.*) has no endpoints$/.exec(rule.comment ?? '');
        if (m && (rule.target?.name === 'REJECT' || rule.target?.name === 'DROP')) noEndpoints.set(m[1], rule);
      }
    }
  }
  if (!nat) return { chains, noEndpoints };
  for (const name of nat.chainOrder) {
    const m = SVC.exec(name);
    if (!m) continue;
    const chain = nat.chains[name];
    const endpoints = new Map<string, Rule>();
    for (const rule of chain.rules) {
      const sep = rule.target?.name;
      if (!sep?.startsWith('KUBE-SEP-')) continue;
      for (const r of nat.chains[sep]?.rules ?? []) {
        const dest = dnatDestination(r);
        if (dest) endpoints.set(dest, r);
      }
    }
    chains.set(name, { chain: name, hash: m[2], endpoints, declLine: chain.line });
  }
  // Name the chains from the KUBE-SERVICES jump comments: "ns/svc:port cluster IP".
  for (const rule of nat.chains['KUBE-SERVICES']?.rules ?? []) {
    const c = rule.target ? chains.get(rule.target.name) : undefined;
    const spn = rule.comment?.replace(/ (cluster IP|external IP|loadbalancer IP)$/, '');
    if (c && spn && !c.spn) c.spn = spn;
  }
  return { chains, noEndpoints };
}
