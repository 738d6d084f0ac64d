/**
 * One-line facts about a parsed iptables dump, for `kubepath parse` and the UI header:
 * how many tables/chains/rules, and how many Kubernetes service ports kube-proxy programmed.
 */
import type { NetfilterDump, Table } from '@/lib/model/netfilter';
import { chainRuns, unbuiltTableState } from '@/lib/parse/iptables-chain-rules';
import { ruleLineComment } from '@/lib/parse/iptables-comment';
import { ruleCount } from '@/lib/parse/iptables-lazy';
import type { TableState } from '@/lib/parse/iptables-lines';
import { chainName, NAME_END, NAME_START, ROW, TOTAL } from '@/lib/parse/iptables-lines';

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
const SUFFIXES = [
  ' cluster IP',
  ' external IP',
  ' loadbalancer IP',
  ' has no endpoints',
  ' has no local endpoints',
  ' health check node port',
];

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
  const counts = { tables: 0, chains: 0, rules: 0 };
  const services = new Set<string>();
  const serviceChains = new Set<string>();
  for (const table of Object.values(dump.tables)) {
    if (!table) continue;
    counts.tables++;
    const state = unbuiltTableState(table);
    if (state !== undefined) scanTable(state, counts, services, serviceChains);
    else readTable(table, counts, services, serviceChains);
  }
  const out: IptablesSummary = {
    family: dump.family,
    ...counts,
    services: services.size,
    serviceChains: serviceChains.size,
  };
  if (dump.backend) out.backend = dump.backend;
  return out;
}

type Counts = { tables: number; chains: number; rules: number };

/** A table whose chains were read (or replaced): from its Chain objects. */
function readTable(table: Table, counts: Counts, services: Set<string>, serviceChains: Set<string>): void {
  for (const name of table.chainOrder) {
    counts.chains++;
    const chain = table.chains[name];
    counts.rules += ruleCount(chain); // does not build the rules of chains we do not read
    if (name.startsWith('KUBE-SVC-') || name.startsWith('KUBE-SVL-')) serviceChains.add(name.slice(9));
    if (!DISPATCH_CHAINS.has(name)) continue;
    for (const rule of chain.rules) {
      const svc = rule.comment === undefined ? undefined : servicePortFromComment(rule.comment);
      if (svc !== undefined) services.add(svc);
    }
  }
}

/**
 * A table nobody has read yet (what `kubepath parse` sees): from the parse's rows, without
 * building a Chain or a Rule. The dispatch chains' comments are read from their raw lines
 * (ruleLineComment, which agrees with the rule builder).
 */
function scanTable(state: TableState, counts: Counts, services: Set<string>, serviceChains: Set<string>): void {
  const { text, rows } = state;
  counts.chains += state.n;
  for (let i = 0; i < state.n; i++) {
    const r = i * ROW;
    counts.rules += rows[r + TOTAL];
    const s = rows[r + NAME_START];
    if (s < 0) {
      const name = chainName(state, i);
      if (name.startsWith('KUBE-SVC-') || name.startsWith('KUBE-SVL-')) serviceChains.add(name.slice(9));
      if (DISPATCH_CHAINS.has(name)) dispatchComments(state, i, services);
      continue;
    }
    const e = rows[r + NAME_END];
    if (e - s >= 9 && text.startsWith('KUBE-SV', s) && text.charCodeAt(s + 8) === 45 /* - */) {
      const kind = text.charCodeAt(s + 7);
      if (kind === 67 /* C */ || kind === 76 /* L */) serviceChains.add(text.slice(s + 9, e));
    } else if (e - s >= 13 && e - s <= 22 && text.startsWith('KUBE-', s) && DISPATCH_CHAINS.has(text.slice(s, e))) {
      dispatchComments(state, i, services);
    }
  }
}

function dispatchComments(state: TableState, i: number, services: Set<string>): void {
  const { text } = state;
  const runs = chainRuns(state, i);
  for (let k = 0; k < runs.length; k += 4) {
    let s = runs[k];
    const runEnd = runs[k + 1];
    for (let n = runs[k + 3]; n > 0; n--) {
      let e = n === 1 ? runEnd : text.indexOf('\n', s);
      if (e < 0 || e > runEnd) e = runEnd;
      const comment = ruleLineComment(text, s, e);
      const svc = comment === undefined ? undefined : servicePortFromComment(comment);
      if (svc !== undefined) services.add(svc);
      s = e + 1;
    }
  }
}
