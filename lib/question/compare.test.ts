import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { answerQuestion } from './answer-question';
import { diffAnswers } from './compare';

const demo = JSON.parse(readFileSync('demo/demo-snapshot.json', 'utf8')) as ClusterSnapshot;

describe('diffAnswers: compare is a diff', () => {
  it('fanout from a pod, traced on node-1 vs node-2: the stale endpoint and the missing new pod show, the rest match', () => {
    const q = { src: 'pod:default/client', dst: '10.96.0.111', port: 80, proto: 'tcp' as const };
    const d = diffAnswers(answerQuestion(demo, q), answerQuestion(demo, { ...q, node: 'node-2' }));
    const differing = d.filter((x) => x.kinds.length);
    // node-2's stuck kube-proxy still DNATs to deleted fanout-1 (10.244.1.20) and never to fanout-17 (10.244.2.28).
    expect(differing.map((x) => [x.key, x.kinds])).toEqual([
      ['10.244.2.28:8080', ['only-a']],
      ['10.244.1.20:8080', ['only-b', 'stale']],
    ]);
    expect(d.filter((x) => !x.kinds.length)).toHaveLength(15);
  });

  it('edge-2 → api-metrics on its node vs the what-if on node-1: same destination, the same answer (the drop is on node-2 either way)', () => {
    const q = { src: 'pod:default/edge-2', dst: '10.96.0.110', port: 9090, proto: 'tcp' as const };
    const d = diffAnswers(answerQuestion(demo, q), answerQuestion(demo, { ...q, node: 'node-1' }));
    expect(d.map((x) => [x.key, x.kinds, x.a?.answer, x.b?.answer])).toEqual([
      ['10.244.2.3:9090', [], 'dropped', 'dropped'],
    ]);
  });
});
