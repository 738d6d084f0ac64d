/** A trace's path as lanes: one per node the packet crosses (lib/question's path hops, grouped by node). */
import type { PathHop } from '@/lib/model/answer';
import type { TraceResult } from '@/lib/model/trace';

export interface Lane {
  node: string;
  /** The hops on this node (one per outcome, or per distinct packet arriving), in path order. */
  hops: PathHop[];
  collected: boolean;
  /** This node's part of the trace: the first node's is the trace itself; a later node's is its steps for each outcome that reaches it. */
  result: TraceResult;
}

/**
 * One lane per node on the path, in the order the packet reaches them. lib/question's path has a
 * hop per node and per outcome (each outcome's packet arrives differently: another pod after
 * DNAT), so a node's lane gathers its hops: each outcome that reaches the node keeps its own end
 * (endpoint, verdict, answer) with the steps that node walked for it.
 */
/**
 * How an outcome ends on a later node: the packet arrives already DNATed, so it is dropped or
 * rejected there when that node decided it (the answer's node), else accepted on to where it goes.
 */
function laneVerdict(o: TraceResult['outcomes'][number], node: string): TraceResult['outcomes'][number]['verdict'] {
  if (o.detail?.node === node && o.answer === 'dropped') return 'drop';
  if (o.detail?.node === node && o.answer === 'rejected') return 'reject';
  return 'accept';
}

export function laneResults(result: TraceResult): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const hop of result.path ?? []) {
    let lane = lanes.get(hop.node);
    if (!lane)
      lanes.set(
        hop.node,
        (lane = {
          node: hop.node,
          hops: [],
          collected: hop.collected,
          result: { ...result, node: hop.node, packet: hop.arrives, outcomes: [], path: [] },
        }),
      );
    lane.hops.push(hop);
    lane.collected &&= hop.collected;
    lane.result.path!.push(hop);
  }
  const out = [...lanes.values()];
  out.forEach((lane, i) => {
    if (i === 0) {
      lane.result = { ...result, node: lane.node, path: lane.hops };
      return;
    }
    lane.result.outcomes = lane.hops
      .filter((h) => h.collected)
      .flatMap((h) =>
        h.outcomes
          .map((k) => result.outcomes[k])
          .filter(Boolean)
          .map((o) => ({ ...o, verdict: laneVerdict(o, lane.node), steps: h.steps })),
      );
  });
  return out;
}
