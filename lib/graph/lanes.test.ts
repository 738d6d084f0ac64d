import { describe, expect, it } from 'vitest';
import { laneResults } from './lanes';
import type { Outcome, TraceResult, TraceStep } from '@/lib/model/trace';
import type { PathHop } from '@/lib/model/answer';

const step = (chain: string): TraceStep => ({
  table: 'filter',
  chain,
  line: 1,
  raw: `-A ${chain}`,
  effect: 'enter',
  why: chain,
});
const o = (to: string): Outcome => ({
  verdict: 'dnat',
  to,
  probability: 1 / 3,
  masquerade: false,
  steps: [step('FIRST')],
  assumptions: [],
  answer: 'delivered',
  sentence: to,
});
const hop = (node: string, outcomes: number[], dst: string, chain: string, collected = true): PathHop => ({
  node,
  outcomes,
  arrives: { src: '10.244.2.4', dst, port: 8080, proto: 'tcp' },
  steps: [step(chain)],
  collected,
});

describe('lanes: one per node on the path', () => {
  const r: TraceResult = {
    packet: { src: '10.244.2.4', dst: '10.96.0.100', port: 80, proto: 'tcp' },
    mode: 'iptables',
    notes: [],
    warnings: [],
    outcomes: [o('10.244.1.2:8080'), o('10.244.1.3:8080'), o('10.244.2.2:8080')],
    // As lib/question builds it: a hop per node and per outcome, the source node first.
    path: [
      hop('node-2', [0], '10.96.0.100', 'N2'),
      hop('node-2', [1], '10.96.0.100', 'N2'),
      hop('node-2', [2], '10.96.0.100', 'N2'),
      hop('node-1', [0], '10.244.1.2', 'N1a'),
      hop('node-1', [1], '10.244.1.3', 'N1b'),
    ],
  };

  it("groups the hops by node in path order; the first lane is the trace, a later lane each reaching outcome with that node's steps", () => {
    const lanes = laneResults(r);
    expect(lanes.map((l) => l.node)).toEqual(['node-2', 'node-1']);
    expect(lanes[0].result.outcomes).toBe(r.outcomes);
    expect(lanes[1].result.outcomes.map((x) => [x.to, x.verdict, x.steps.map((s) => s.chain)])).toEqual([
      ['10.244.1.2:8080', 'accept', ['N1a']],
      ['10.244.1.3:8080', 'accept', ['N1b']],
    ]);
  });

  it("an outcome dropped on a later node ends in a DROP on that node's lane, not at the endpoint it was headed to", () => {
    const dropped: Outcome = {
      ...o('10.244.1.2:8080'),
      probability: 1,
      answer: 'dropped',
      detail: { answer: 'dropped', sentence: 'x', reason: 'rule-drop', node: 'node-1', nodes: ['node-2', 'node-1'] },
    };
    const lanes = laneResults({
      ...r,
      outcomes: [dropped],
      path: [hop('node-2', [0], '10.96.0.100', 'N2'), hop('node-1', [0], '10.244.1.2', 'N1a')],
    });
    expect(lanes[0].result.outcomes[0].verdict).toBe('dnat');
    expect(lanes[1].result.outcomes[0].verdict).toBe('drop');
  });

  it('an uncollected node is a lane with nothing walked on it', () => {
    const lanes = laneResults({
      ...r,
      path: [hop('node-2', [0], '10.96.0.100', 'N2'), hop('node-9', [0], '10.244.9.2', 'X', false)],
    });
    expect(lanes.map((l) => [l.node, l.collected, l.result.outcomes.length])).toEqual([
      ['node-2', true, 3],
      ['node-9', false, 0],
    ]);
  });
});
