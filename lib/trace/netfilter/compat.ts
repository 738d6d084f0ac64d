/**
 * Upstream-compat mode: reproduces kube-proxy's own test packet tracer (pkg/proxy/iptables
 * tests), so the upstream acceptance expectations can be asserted byte for byte. Its
 * simplifications are deliberate here: nat PREROUTING only, rules with --rcheck/--mark/--ctstate
 * never match, every other unknown match is assumed true, probabilistic jumps never terminate
 * (all endpoints are collected in rule order), one global masquerade flag, then four filter
 * chains walked directly with the first output's IP.
 */
import type { NetfilterDump, Rule, TableName } from '@/lib/model/netfilter';
import type { Packet, TraceResult, Outcome } from '@/lib/model/trace';
import { inCidr, optName } from '@/lib/trace/core/match-util';
import { normalizeIp, parseEndpoint, isIPv6 } from '@/lib/net/ip';
import type { TraceInputs } from '@/lib/model/trace-inputs';

export interface CompatAnswer {
  /** Outputs joined with ", " ("" when no kube-proxy rule matched). */
  output: string;
  masquerade: boolean;
}

function opt(rule: Rule, name: string): { negated: boolean; value: string } | undefined {
  for (const m of rule.matches) {
    for (const o of m.options) if (optName(o) === name) return { negated: o.negated, value: o.values[0] ?? '' };
  }
  return undefined;
}

function hasOpt(rule: Rule, name: string): boolean {
  return opt(rule, name) !== undefined;
}

export function compatAnswer(inputs: TraceInputs, packet: Packet): CompatAnswer {
  const dump: NetfilterDump | undefined = isIPv6(packet.dst) ? inputs.ip6tables : inputs.iptables;
  const local = new Set<string>(['127.0.0.1', '::1']);
  for (const itf of inputs.interfaces ?? [])
    for (const a of itf.addresses) local.add(normalizeIp(a.address) ?? a.address);
  for (const ip of inputs.localIPs ?? []) local.add(normalizeIp(ip) ?? ip);
  const outputs: string[] = [];
  let masq = false;
  const isLocal = (ip: string): boolean => local.has(normalizeIp(ip) ?? ip);
  const matches = (r: Rule, src: string, dst: string): boolean => {
    if (hasOpt(r, 'rcheck') || hasOpt(r, 'mark') || hasOpt(r, 'ctstate')) return false;
    if (r.source && inCidr(r.source.value, src) === r.source.negated) return false;
    const st = opt(r, 'src-type');
    if (st && (st.value === 'LOCAL') !== (isLocal(src) !== st.negated)) return false;
    if (r.protocol && (r.protocol.value === packet.proto) === r.protocol.negated) return false;
    if (r.destination && inCidr(r.destination.value, dst) === r.destination.negated) return false;
    const dt = opt(r, 'dst-type');
    if (dt && (dt.value === 'LOCAL') !== (isLocal(dst) !== dt.negated)) return false;
    const dp = opt(r, 'dport');
    if (dp && (dp.value === String(packet.port)) === dp.negated) return false;
    return true;
  };
  const run = (table: TableName, chain: string, src: string, dst: string, depth: number): boolean => {
    const c = dump?.tables[table]?.chains[chain];
    if (!c || depth > 64) return false;
    for (const r of c.rules) {
      if (!matches(r, src, dst) || !r.target) continue;
      const j = r.target.name;
      if (j === 'KUBE-MARK-MASQ') {
        masq = true;
        continue;
      }
      if (j === 'ACCEPT' || j === 'REJECT' || j === 'DROP') {
        outputs.push(j);
        return true;
      }
      if (j === 'DNAT') {
        outputs.push(r.target.options.find((o) => optName(o) === 'to-destination')?.values[0] ?? '');
        return true;
      }
      const terminated = run(table, j, src, dst, depth + 1);
      if (terminated && !hasOpt(r, 'probability')) return true;
    }
    return false;
  };
  run('nat', 'PREROUTING', packet.src, packet.dst, 0);
  let dst = packet.dst;
  if (outputs.length) dst = parseEndpoint(outputs[0])?.ip ?? outputs[0].split(':')[0];
  for (const c of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) {
    if (run('filter', c, packet.src, dst, 0)) break;
  }
  return { output: outputs.join(', '), masquerade: masq };
}

/** The compat answer as a TraceResult: one outcome per output, the global masq flag on each. */
export function traceCompat(inputs: TraceInputs, packet: Packet): TraceResult {
  const a = compatAnswer(inputs, packet);
  const parts = a.output ? a.output.split(', ') : [];
  const outcomes: Outcome[] = parts.map((p) => {
    const verdict = p === 'DROP' ? 'drop' : p === 'REJECT' ? 'reject' : p === 'ACCEPT' ? 'accept' : 'dnat';
    return {
      verdict,
      to: verdict === 'dnat' ? p : null,
      probability: 1 / parts.length,
      masquerade: a.masquerade,
      steps: [],
      assumptions: [],
    };
  });
  if (!outcomes.length) {
    outcomes.push({
      verdict: 'accept',
      to: `${packet.dst}:${packet.port}`,
      probability: 1,
      masquerade: a.masquerade,
      steps: [],
      assumptions: [],
    });
  }
  return {
    packet,
    node: inputs.node,
    mode: 'iptables',
    outcomes,
    notes: [`upstream-compat output: "${a.output}" masquerade=${a.masquerade}`],
    warnings: [
      "compat mode reproduces upstream kube-proxy's test tracer, including its simplifications (probabilities are not real)",
    ],
  };
}
