import { describe, expect, it } from 'vitest';
import { compareTraces } from './compare-traces';
import type { Outcome, TraceResult } from '@/lib/model/trace';
import type { Answer, AnswerReason } from '@/lib/model/answer';

const o = (
  to: string | null,
  verdict: Outcome['verdict'],
  probability: number,
  answer: Answer,
  reason: AnswerReason = 'delivered',
): Outcome => ({
  verdict,
  to,
  probability,
  masquerade: false,
  steps: [],
  assumptions: [],
  answer,
  sentence: `${answer} ${to}`,
  detail: { answer, sentence: `${answer} ${to}`, reason, nodes: [] },
});
const r = (outcomes: Outcome[]): TraceResult => ({
  packet: { src: '10.244.2.4', dst: '10.96.0.111', port: 80, proto: 'tcp' },
  mode: 'iptables',
  outcomes,
  notes: [],
  warnings: [],
});

describe('compare is a diff', () => {
  it('marks endpoints on one side only, different shares, and stale entries; the same endpoint at the same share is not a difference', () => {
    const d = compareTraces(
      {
        node: 'node-1',
        result: r([o('10.244.1.2:8080', 'dnat', 0.5, 'delivered'), o('10.244.2.28:8080', 'dnat', 0.5, 'delivered')]),
      },
      {
        node: 'node-2',
        result: r([
          o('10.244.1.2:8080', 'dnat', 1 / 3, 'delivered'),
          o('10.244.1.20:8080', 'dnat', 1 / 3, 'unanswered', 'stale-endpoint'),
          o('10.244.2.2:8080', 'dnat', 1 / 3, 'delivered'),
        ]),
      },
    );
    expect(d.differs).toBe(true);
    const by = Object.fromEntries(d.rows.map((x) => [x.key, x.differences]));
    expect(by['10.244.1.2:8080']).toEqual(['share 50% on node-1 vs 33.3% on node-2']);
    expect(by['10.244.2.28:8080']).toEqual(['only on node-1']);
    expect(by['10.244.1.20:8080']).toEqual(['only on node-2', 'stale on node-2']);
    expect(by['10.244.2.2:8080']).toEqual(['only on node-2']);
    expect(d.answers.right).toEqual({ delivered: 2 / 3, unanswered: 1 / 3 });
  });

  it('marks a different verdict for the same end, and finds nothing to mark when both nodes agree', () => {
    const same = compareTraces(
      { node: 'a', result: r([o('10.244.2.3:9090', 'dnat', 1, 'delivered')]) },
      { node: 'b', result: r([o('10.244.2.3:9090', 'dnat', 1, 'delivered')]) },
    );
    expect(same.differs).toBe(false);
    expect(same.rows[0].differences).toEqual([]);
    const differ = compareTraces(
      { node: 'a', result: r([o('10.96.0.250:80', 'accept', 1, 'delivered')]) },
      { node: 'b', result: r([o('10.96.0.250:80', 'accept', 1, 'unanswered', 'no-service')]) },
    );
    expect(differ.rows[0].differences).toEqual(['delivered on a vs unanswered on b']);
    const dropped = compareTraces(
      { node: 'a', result: r([o('10.244.2.3:9090', 'dnat', 1, 'delivered')]) },
      { node: 'b', result: r([o(null, 'drop', 1, 'dropped', 'rule-drop')]) },
    );
    expect(dropped.rows.map((x) => [x.key, x.differences])).toEqual([
      ['10.244.2.3:9090', ['only on a']],
      ['drop', ['only on b']],
    ]);
    // The same pod reached from either node: one row, whether the first node DNATed (drop further on) or dropped it itself.
    const pod = { namespace: 'default', name: 'api-1', node: 'node-2', ip: '10.244.2.3', port: 9090, exists: true };
    const dnatThenDrop = {
      ...o('10.244.2.3:9090', 'dnat', 1, 'dropped', 'rule-drop'),
      detail: { answer: 'dropped' as const, sentence: 'x', reason: 'rule-drop' as const, nodes: [], pod },
    };
    const dropHere = {
      ...o(null, 'drop', 1, 'dropped', 'rule-drop'),
      detail: { answer: 'dropped' as const, sentence: 'y', reason: 'rule-drop' as const, nodes: [], pod },
    };
    const samePod = compareTraces(
      { node: 'node-1', result: r([dnatThenDrop]) },
      { node: 'node-2', result: r([dropHere]) },
    );
    expect(samePod.rows.map((x) => [x.key, x.differences])).toEqual([['10.244.2.3:9090', []]]);
    expect(samePod.differs).toBe(false);
  });
});
