/**
 * iptables-mode tracer: one NEW connection through the node's real iptables rules (all tables,
 * all built-in chains, host rules included), returning every possible outcome with its
 * probability. kube-proxy knowledge only labels the steps; it never changes the evaluation.
 */
import type { NetfilterDump } from '@/lib/model/netfilter';
import type { Packet, TraceResult } from '@/lib/model/trace';
import { nodeViewFor } from '@/lib/trace/core/node-view';
import type { NodeView } from '@/lib/trace/core/node-view';
import { runPath } from '@/lib/trace/netfilter/hook-path';
import type { HookCtx } from '@/lib/trace/netfilter/hook-path';
import { outcomesOf } from '@/lib/trace/core/outcome';
import { traceCompat } from '@/lib/trace/netfilter/compat';
import { isIPv6 } from '@/lib/net/ip';
import { commonNotes, startBranch, type EngineOptions } from '@/lib/trace/core/engine-start';
import type { TraceInputs } from '@/lib/model/trace-inputs';

export function dumpFor(inputs: TraceInputs, dst: string): { dump?: NetfilterDump; tool: string } {
  return isIPv6(dst) ? { dump: inputs.ip6tables, tool: 'ip6tables' } : { dump: inputs.iptables, tool: 'iptables' };
}

/** Shared driver for iptables and IPVS modes. */
export function traceNetfilter(
  inputs: TraceInputs,
  packet: Packet,
  opts: EngineOptions,
  mode: 'iptables' | 'ipvs',
  extra: { node?: NodeView; ipvs?: HookCtx['ipvs']; notes?: Set<string> } = {},
): TraceResult {
  const notes = extra.notes ?? new Set<string>();
  const warnings: string[] = [];
  const { dump, tool } = dumpFor(inputs, packet.dst);
  const node = extra.node ?? nodeViewFor(inputs);
  const result: TraceResult = { packet, node: inputs.node, mode, outcomes: [], notes: [], warnings };
  if (!dump) {
    warnings.push(
      `no ${tool}-save dump given for this ${tool === 'ip6tables' ? 'IPv6' : 'IPv4'} destination: the trace assumes the node has no ${tool} rules`,
    );
  }
  if (dump?.legacyTablesPresent) {
    warnings.push(
      'iptables-nft reported legacy tables too: rules may be split between backends; capture iptables-legacy-save as well',
    );
  }
  commonNotes(packet, notes);
  for (const a of node.assumptions) notes.add(a);
  const ctx: HookCtx = {
    dump: dump ?? { family: tool === 'ip6tables' ? 'ipv6' : 'ipv4', tables: {} },
    node,
    ipsets: inputs.ipsets,
    notes,
    tool,
    indexMinRules: opts.indexMinRules,
    ipvs: extra.ipvs,
  };
  result.outcomes = outcomesOf(runPath(ctx, startBranch(packet)), packet);
  result.notes = [...notes];
  return result;
}

/**
 * Trace a packet through iptables-mode rules. With `opts.compat`, reproduce upstream
 * kube-proxy's test tracer instead (outputs joined with ", ", one global masquerade flag).
 */
export function traceIptables(inputs: TraceInputs, packet: Packet, opts: EngineOptions = {}): TraceResult {
  if (opts.compat) return traceCompat(inputs, packet);
  return traceNetfilter(inputs, packet, opts, 'iptables');
}
