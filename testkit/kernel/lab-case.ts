/**
 * Runs one kernel-verified case: the ruleset is already loaded in node 1 and read back with
 * iptables-save (what the tracer parses, as on a real node); the tracer is asked; N new
 * connections go through the real kernel; the three are compared, and the per-rule counters from
 * `iptables-save -c` are checked against the rule lines the tracer says were hit.
 */
import type { NetfilterDump } from '@/lib/model/netfilter';
import type { Packet, TraceResult } from '@/lib/model/trace';
import { parseIptablesSave } from '@/lib/parse/iptables';
import type { TopologyPlan as Topology } from '@/testkit/netns/topology';
import { probe } from '@/testkit/netns/probe';
import type { ProbeOutcome } from '@/testkit/netns/probe';
import {
  captureIp,
  flushConntrack,
  flushNetfilter,
  listNft,
  loadIptables,
  loadNft,
  saveIptables,
} from '@/testkit/netns/rules';
import { parseNft } from '@/lib/parse/nft';
import { parseNftScript } from '@/lib/parse/nft-script';
import { nsRun } from '@/testkit/netns/exec';
import { hitRules, mapIptablesCounters } from '@/testkit/netns/counters';
import { parseIpAddrJson } from '@/lib/parse/ip-addr-json';
import { parseIpRouteJson } from '@/lib/parse/ip-route-json';
import type { ExpectedOutcome, LabView, Prediction } from './prediction';
import { answeredKey, predictionFromSpec, predictionFromTrace } from './prediction';
import type { Observation } from './compare';
import { compareSticky, compareWithObservation, formatObservation, formatPrediction } from './compare';
import type { TraceFn } from './tracer';
import type { TraceInputs } from '@/lib/model/trace-inputs';

export interface KernelCase {
  name: string;
  /** Sender: 'client', 'client-blocked', 'node', or a pod label such as 'pod-a'. */
  from: string;
  dst: string;
  port: number;
  proto: 'tcp' | 'udp';
  /** Expectation written from docs/kube-proxy-semantics.md (checks the lab and the ruleset writer). */
  expect: ExpectedOutcome[];
  /** Connections to send (default 60; 12 when only drops/rejects are expected). */
  count?: number;
  /** Session affinity: all connections must stick to one allowed outcome (compareSticky). */
  sticky?: boolean;
  /** 6: the sender uses its IPv6 address (dual-stack topology, ip6tables rules). */
  family?: 4 | 6;
  /** Per-connection timeout override (ms). */
  timeoutMs?: number;
}

export interface LoadedRules {
  kind: 'iptables' | 'nft';
  family: 4 | 6;
  /** What the tracer parsed: `iptables-save` or `nft list ruleset` output. */
  save: string;
  dump?: NetfilterDump;
  inputs: TraceInputs;
}

export interface CaseReport {
  name: string;
  packet: Packet;
  observed: string;
  spec: string;
  tracer: string;
  specProblems: string[];
  tracerProblems: string[];
  counterProblems: string[];
  /** nat/filter rules real packets hit: `line table rule (packets)`. */
  hits: string[];
  trace?: TraceResult;
}

/** Everything the lab knows about addresses, for turning answers into observations. */
export function labView(topo: Topology): LabView {
  return {
    podLabelByIP: (ip) => topo.podByIP(ip)?.label,
    isNodeLocal: (ip) => nodeLocal(topo).includes(ip),
    masqueradeSource: (ip) => {
      const pod = topo.podByIP(ip);
      if (ip.includes(':')) return pod && pod.node === 2 ? topo.plan.v6.node[0].underlay : topo.plan.v6.node[0].gateway;
      // Node 1 masquerades to the address of the interface the flow leaves on:
      // cni0 for its own pods, the underlay for pods on node 2 (host-gw route).
      return pod && pod.node === 2 ? topo.plan.node[0].underlay : topo.plan.node[0].gateway;
    },
  };
}

function nodeLocal(topo: Topology): string[] {
  const p = topo.plan;
  return [
    p.node[0].underlay,
    p.node[0].gateway,
    ...topo.localVips,
    '127.0.0.1',
    p.v6.node[0].underlay,
    p.v6.node[0].gateway,
    '::1',
  ];
}

/** Source address and sender netns for `from`. */
export function sender(topo: Topology, c: KernelCase): { ns: string; src: string; bind?: string } {
  if (c.family === 6) return sender6(topo, c);
  const plan = topo.plan;
  if (c.from === 'client') return { ns: topo.ns.client, src: plan.client.underlay, bind: plan.client.underlay };
  if (c.from === 'client-blocked') return { ns: topo.ns.client, src: plan.client.blocked, bind: plan.client.blocked };
  if (c.from === 'node') {
    // Node-originated: the kernel picks the destination itself as source for a local address,
    // and the service route's `src` (the node's underlay IP) otherwise.
    const local = [plan.node[0].underlay, plan.node[0].gateway, ...topo.localVips, '127.0.0.1'].includes(c.dst);
    return { ns: topo.ns.nodes[0], src: local ? c.dst : plan.node[0].underlay };
  }
  const pod = topo.podByLabel(c.from);
  if (!pod) throw new Error(`case ${c.name}: unknown sender ${c.from}`);
  return { ns: pod.ns, src: pod.ip };
}

function sender6(topo: Topology, c: KernelCase): { ns: string; src: string; bind?: string } {
  const v6 = topo.plan.v6;
  if (c.from === 'client') return { ns: topo.ns.client, src: v6.client.underlay, bind: v6.client.underlay };
  if (c.from === 'client-blocked') return { ns: topo.ns.client, src: v6.client.blocked, bind: v6.client.blocked };
  if (c.from === 'node')
    return { ns: topo.ns.nodes[0], src: nodeLocal(topo).includes(c.dst) ? c.dst : v6.node[0].underlay };
  const pod = topo.podByLabel(c.from);
  if (!pod?.ip6) throw new Error(`case ${c.name}: sender ${c.from} has no IPv6 address`);
  return { ns: pod.ns, src: pod.ip6 };
}

/** Loads a restore text into node 1 (replacing all rules) and captures what the tracer needs. */
export async function loadRules(topo: Topology, restoreText: string, family: 4 | 6 = 4): Promise<LoadedRules> {
  const ns = topo.ns.nodes[0];
  await flushNetfilter(ns);
  await loadIptables(ns, restoreText, family);
  const save = await saveIptables(ns, false, family);
  const parsed = parseIptablesSave(save);
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (errors.length)
    throw new Error(`parser issues on real iptables-save output: ${JSON.stringify(errors.slice(0, 3))}`);
  const dumps = family === 6 ? { ip6tables: parsed.value } : { iptables: parsed.value };
  const inputs: TraceInputs = { node: 'node1', ...dumps, ...(await nodeAddressing(ns)), proxyMode: 'iptables' };
  return { kind: 'iptables', family, save, dump: parsed.value, inputs };
}

/** Loads an `nft -f` ruleset into node 1 (replacing all rules) and reads it back with `nft list ruleset`. */
export async function loadNftRules(topo: Topology, nftText: string): Promise<LoadedRules> {
  const ns = topo.ns.nodes[0];
  await flushNetfilter(ns);
  await loadNft(ns, nftText);
  const save = await listNft(ns);
  const nft = strictly(parseNft(save), 'nft list ruleset');
  const inputs: TraceInputs = { node: 'node1', nft, ...(await nodeAddressing(ns)), proxyMode: 'nftables' };
  return { kind: 'nft', family: 4, save, inputs };
}

/**
 * The tracer reads the `nft -f` script itself (knftables form) instead of the kernel's listing of
 * it; the kernel still runs what was loaded, so packets check the script parse.
 */
export function scriptRules(listed: LoadedRules, script: string): LoadedRules {
  return { ...listed, inputs: { ...listed.inputs, nft: strictly(parseNftScript(script), 'nft -f script') } };
}

async function nodeAddressing(ns: string): Promise<Pick<TraceInputs, 'interfaces' | 'routes'>> {
  const ip = await captureIp(ns);
  return {
    interfaces: strictly(parseIpAddrJson(ip.addr), 'ip -j addr'),
    routes: strictly(parseIpRouteJson(ip.route), 'ip -j route'),
  };
}

/** The lab's own captures must parse cleanly; an issue here is a parser bug worth failing on. */
function strictly<T>(r: { value: T; issues: { severity: string }[] }, what: string): T {
  const errors = r.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(`${what}: parser issues on real output: ${JSON.stringify(errors.slice(0, 3))}`);
  return r.value;
}

function observe(outcomes: ProbeOutcome[]): Observation {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const key =
      o.kind === 'answered' ? answeredKey(o.pod, o.port, o.seenSrc) : o.kind === 'error' ? `error:${o.code}` : o.kind;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { total: outcomes.length, counts };
}

/** Runs case `c` against the loaded rules; `trace` may be absent (then only the spec is checked). */
export async function runCase(topo: Topology, rules: LoadedRules, c: KernelCase, trace?: TraceFn): Promise<CaseReport> {
  const ns = topo.ns.nodes[0];
  const lab = labView(topo);
  const from = sender(topo, c);
  const packet: Packet = { src: from.src, dst: c.dst, port: c.port, proto: c.proto };
  const onlyFailures = c.expect.every((e) => 'kind' in e);
  const count = c.count ?? (onlyFailures ? 12 : 60);

  await flushConntrack(ns);
  const iptables = rules.kind === 'iptables';
  if (iptables) {
    // Zero only the tables the dump has: -Z on another table would create it (nft backend) and
    // shift every line number of the -c dump.
    const tool = rules.family === 6 ? 'ip6tables' : 'iptables';
    for (const table of rules.save.match(/^\*\w+/gm) ?? []) await nsRun(ns, tool, ['-t', table.slice(1), '-Z']);
  }
  const outcomes = await probe(from.ns, {
    proto: c.proto,
    host: c.dst,
    port: c.port,
    count,
    localAddress: from.bind,
    timeoutMs: c.timeoutMs,
  });
  const obs = observe(outcomes);
  // kube-proxy's nft rules carry no counters, so the rule-hit cross-check is iptables-only.
  const counters = iptables ? mapIptablesCounters(rules.save, await saveIptables(ns, true, rules.family)) : [];

  // The lab's pods serve TCP 8080 and UDP 5353 unless a case says otherwise per outcome.
  const specPred = predictionFromSpec(c.expect, from.src, lab, c.proto === 'udp' ? 5353 : 8080);
  const compare = c.sticky ? compareSticky : compareWithObservation;
  const report: CaseReport = {
    name: c.name,
    packet,
    observed: formatObservation(obs),
    spec: formatPrediction(specPred),
    tracer: 'not run',
    specProblems: compare(specPred, obs, 'spec'),
    tracerProblems: [],
    counterProblems: [],
    hits: hitRules(counters).map((h) => `${h.line} ${h.table} ${h.rule} (${h.packets})`),
  };
  if (trace) {
    let result: TraceResult;
    try {
      result = trace(rules.inputs, packet);
    } catch (err) {
      report.tracerProblems.push(`tracer threw: ${(err as Error).stack ?? String(err)}`);
      return report;
    }
    report.trace = result;
    const pred: Prediction = predictionFromTrace(result, from.src, lab);
    report.tracer = formatPrediction(pred);
    report.tracerProblems = compare(pred, obs, 'tracer');
    // Every nat DNAT rule real packets hit must be on some traced path.
    const traced = new Set(result.outcomes.flatMap((o) => o.steps.map((s) => s.line)));
    for (const h of hitRules(counters)) {
      if (h.table === 'nat' && / -j DNAT /.test(h.rule) && !traced.has(h.line))
        report.counterProblems.push(
          `kernel hit nat line ${h.line} (${h.packets} pkts) which no traced outcome visits: ${h.rule}`,
        );
    }
  }
  return report;
}
