/**
 * The per-node form: one node's captures and a trace already computed on them (the CLI's
 * `--iptables-save …` form). The same verdict and sentence as for a snapshot, over a path of one
 * node; where the packet leaves the node the sentence says the rest of the path was not given.
 */
import type { TraceResult } from '@/lib/model/trace';
import type { PathHop } from '@/lib/model/answer';
import type { TraceInputs } from '@/lib/model/trace-inputs';
import { inventoryFromRules } from './rules-inventory';
import { walk } from './walk';
import { answeredOutcomes, pathOf } from './answer-question';

export function answerNodeTrace(inputs: TraceInputs, result: TraceResult): TraceResult & { path: PathHop[] } {
  const node = inputs.node ?? result.node ?? 'this node';
  const inv = inventoryFromRules(inputs, node);
  const chains = walk(
    { inv, inputsOf: (n) => (n === node ? inputs : undefined), question: result.packet, first: result },
    node,
    result.packet,
  );
  return { ...result, outcomes: answeredOutcomes(inv, chains), path: pathOf(chains) };
}
