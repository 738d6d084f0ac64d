import { describe, expect, it } from 'vitest';
import type { Outcome, TraceResult } from '@/lib/model/trace';
import { predictionFromSpec, predictionFromTrace } from './prediction';
import type { LabView } from './prediction';

const lab: LabView = {
  podLabelByIP: (ip) => ({ '10.1.1.2': 'pod-a', '10.1.2.2': 'pod-c' })[ip],
  isNodeLocal: (ip) => ip === '172.16.0.11',
  masqueradeSource: (ip) => (ip.startsWith('10.1.2.') ? '172.16.0.11' : '10.1.1.1'),
};
const out = (o: Partial<Outcome>): Outcome => ({
  verdict: 'dnat',
  to: null,
  probability: 1,
  masquerade: false,
  steps: [],
  assumptions: [],
  ...o,
});
const result = (outcomes: Outcome[], dst = '10.96.0.1'): TraceResult => ({
  packet: { src: '10.1.1.3', dst, port: 80, proto: 'tcp' },
  mode: 'iptables',
  outcomes,
  notes: [],
  warnings: [],
});

describe('predictionFromTrace', () => {
  it('maps DNAT outcomes to the pod and the source it will see', () => {
    const p = predictionFromTrace(
      result([
        out({ to: '10.1.1.2:8080', probability: 0.5, masquerade: true }),
        out({ to: '10.1.2.2:8080', probability: 0.5 }),
      ]),
      '10.1.1.3',
      lab,
    );
    expect([...p.entries()]).toEqual([
      ['pod-a:8080@10.1.1.1', 0.5],
      ['pod-c:8080@10.1.1.3', 0.5],
    ]);
  });

  it('drop → timeout, reject → refused; equal observations merge', () => {
    const p = predictionFromTrace(
      result([
        out({ verdict: 'drop', probability: 0.25 }),
        out({ verdict: 'drop', probability: 0.25 }),
        out({ verdict: 'reject', probability: 0.5 }),
      ]),
      's',
      lab,
    );
    expect(p.get('timeout')).toBe(0.5);
    expect(p.get('refused')).toBe(0.5);
  });

  it('accept to a node address is refused (no listener), to nobody is a timeout, to a pod is an answer', () => {
    expect([
      ...predictionFromTrace(result([out({ verdict: 'accept', to: '172.16.0.11:80' })]), 's', lab).keys(),
    ]).toEqual(['refused']);
    expect([...predictionFromTrace(result([out({ verdict: 'accept', to: '10.96.0.1:80' })]), 's', lab).keys()]).toEqual(
      ['timeout'],
    );
    expect([
      ...predictionFromTrace(result([out({ verdict: 'accept', to: '10.1.1.2:8080' })]), 's', lab).keys(),
    ]).toEqual(['pod-a:8080@s']);
  });

  it('keeps the DNAT port (an accept to a pod keeps the original port)', () => {
    expect([...predictionFromTrace(result([out({ to: '10.1.1.2:8443' })]), 's', lab).keys()]).toEqual(['pod-a:8443@s']);
    expect([
      ...predictionFromTrace(result([out({ verdict: 'accept', to: null })], '10.1.1.2'), 's', lab).keys(),
    ]).toEqual(['pod-a:80@s']);
  });

  it('a DNAT to an address the lab does not have can never match the kernel', () => {
    expect([...predictionFromTrace(result([out({ to: '10.9.9.9:80' })]), 's', lab).keys()]).toEqual([
      'unexplained:dnat to 10.9.9.9:80',
    ]);
  });

  it('uses an explicit SNAT source over the masquerade guess', () => {
    expect([
      ...predictionFromTrace(
        result([out({ to: '10.1.1.2:8080', masquerade: true, snatTo: '9.9.9.9' })]),
        's',
        lab,
      ).keys(),
    ]).toEqual(['pod-a:8080@9.9.9.9']);
  });
});

describe('predictionFromSpec', () => {
  it('writes the same keys as the tracer mapping', () => {
    const p = predictionFromSpec([{ pod: 'pod-c', ip: '10.1.2.2', p: 1, masq: true }], '172.16.0.2', lab, 5353);
    expect([...p.entries()]).toEqual([['pod-c:5353@172.16.0.11', 1]]);
  });
});
