/**
 * One-line facts about a parsed iptables dump, for `kubepath parse` and the UI header:
 * how many tables/chains/rules, and how many Kubernetes service ports kube-proxy programmed.
 */
import type { NetfilterDump } from '@/lib/model/netfilter';
import { ruleCount } from '@/lib/parse/iptables-lazy';

export interface IptablesSummary {
  family: NetfilterDump['family'];
  backend?: NetfilterDump['backend'];
  tables: number;
  chains: number;
  rules: number;
  /** Distinct service port names (`ns/svc[:port]`) named by kube-proxy's comments in its
   *  dispatch chains (ClusterIP / external IP / LB / NodePort / no-endpoints rules). */
  services: number;
  /** Distinct KUBE-SVC-/KUBE-SVL- hash suffixes (the same suffix is one service port). */
  serviceChains: number;
}

// kube-proxy's dispatch chains; comments elsewhere (SEP, EXT) repeat the same names.
const DISPATCH_CHAINS = new Set(['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS']);
const SUFFIXES = [' cluster IP', ' external IP', ' loadbalancer IP', ' has no endpoints', ' has no local endpoints', ' health check node port'];

/** Extracts `ns/svc[:port]` from a kube-proxy comment, or undefined. Old kube-proxy wrote
 *  `ns/svc:` (trailing colon) for unnamed ports; that is normalised to `ns/svc`. */
export function servicePortFromComment(comment: string): string | undefined {
  let name = comment;
  for (const s of SUFFIXES) {
    if (comment.endsWith(s)) {
      name = comment.slice(0, -s.length);
      break;
    }
  }
  if (name.endsWith(':')) name = name.slice(0, -1);
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1 || /\s/.test(name)) return undefined;
  return name;
}

export function summarizeIptables(dump: NetfilterDump): IptablesSummary {
  let tables = 0;
  let chains = 0;
  let rules = 0;
  const services = new Set<string>();
  const serviceChains = new Set<string>();
  for (const table of Object.values(dump.tables)) {
    if (!table) continue;
    tables++;
    for (const name of table.chainOrder) {
      chains++;
      const chain = table.chains[name];
      rules += ruleCount(chain); // does not build the rules of chains we do not read
      if (name.startsWith('KUBE-SVC-') || name.startsWith('KUBE-SVL-')) serviceChains.add(name.slice(9));
      if (!DISPATCH_CHAINS.has(name)) continue;
      for (const rule of chain.rules) {
        const svc = rule.comment === undefined ? undefined : servicePortFromComment(rule.comment);
        if (svc !== undefined) services.add(svc);
      }
    }
  }
  const out: IptablesSummary = { family: dump.family, tables, chains, rules, services: services.size, serviceChains: serviceChains.size };
  if (dump.backend) out.backend = dump.backend;
  return out;
}
