import { describe, expect, it } from 'vitest';
import { buildGraph } from './build-graph';
import { toCytoscape } from './to-cytoscape';
import type { Outcome, TraceResult, TraceStep } from '@/lib/model/trace';
import type { Answer, AnswerReason } from '@/lib/model/answer';

const dnat = (to: string): TraceStep => ({
  table: 'nat',
  chain: 'KUBE-SEP-X',
  line: 9,
  raw: `-A KUBE-SEP-X -j DNAT --to-destination ${to}`,
  effect: 'dnat',
  why: 'DNAT',
});
const enter: TraceStep = { table: 'nat', chain: 'PREROUTING', line: 0, raw: '', effect: 'enter', why: 'enters' };
const o = (to: string, verdict: Outcome['verdict'], answer: Answer, reason: AnswerReason): Outcome => ({
  verdict,
  to,
  probability: 0.5,
  masquerade: false,
  steps: verdict === 'dnat' ? [enter, dnat(to)] : [enter],
  assumptions: [],
  answer,
  sentence: answer,
  detail: { answer, sentence: answer, reason, nodes: ['node-2'] },
});

describe('graph colours follow the answer, not the verdict', () => {
  it('an endpoint nothing answers (stale DNAT target) is classed and labelled as such; a delivered one as delivered', () => {
    const r: TraceResult = {
      packet: { src: '10.244.2.4', dst: '10.96.0.111', port: 80, proto: 'tcp' },
      mode: 'iptables',
      notes: [],
      warnings: [],
      outcomes: [
        o('10.244.1.20:8080', 'dnat', 'unanswered', 'stale-endpoint'),
        o('10.244.2.2:8080', 'dnat', 'delivered', 'delivered'),
      ],
    };
    const els = toCytoscape(
      buildGraph(r, { podsByIp: { '10.244.2.2': { namespace: 'default', name: 'web-3', node: 'node-2' } } }),
    );
    const stale = els.find((e) => e.data.id === 'endpoint:10.244.1.20:8080')!;
    expect(stale.classes).toMatch(/\banswer-unanswered\b/);
    expect(stale.classes).toMatch(/\bstale\b/);
    expect(stale.data.label).toMatch(/stale: no pod has this address/);
    expect(els.find((e) => e.data.id === 'endpoint:10.244.2.2:8080')!.classes).toMatch(/\banswer-delivered\b/);
    const edgeToStale = els.find((e) => e.data.target === 'endpoint:10.244.1.20:8080')!;
    expect(edgeToStale.classes).toMatch(/\banswer-unanswered\b/);
  });

  it('an un-DNATed packet to a Service address is an unanswered endpoint, not a delivered one', () => {
    const r: TraceResult = {
      packet: { src: '10.244.2.4', dst: '10.96.0.250', port: 80, proto: 'tcp' },
      mode: 'iptables',
      notes: [],
      warnings: [],
      outcomes: [{ ...o('10.96.0.250:80', 'accept', 'unanswered', 'no-service'), probability: 1 }],
    };
    const ep = toCytoscape(buildGraph(r)).find((e) => e.data.kind === 'endpoint')!;
    expect(ep.classes).toMatch(/\banswer-unanswered\b/);
    expect(ep.classes).not.toMatch(/answer-delivered/);
  });
});
