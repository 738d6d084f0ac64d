/**
 * The readable CLI rendering: every outcome with its exact fraction, the deciding rules with
 * their dump line numbers, masquerade in words, assumptions, notes and warnings.
 */
import { describe, it, expect } from 'vitest';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import { FIXTURE_A } from '@/testkit/upstream-cases/upstream-cases';
import { inputsFromSave } from '@/testkit/upstream-cases/flow';
import { traceIptables } from '@/lib/trace/netfilter/trace-iptables';
import { formatTraceText } from '@/cli/format-trace-text';
import { formatProbability } from '@/lib/trace/core/outcome';

describe('formatTraceText', () => {
  const inputs = inputsFromSave(
    buildKubeRules([
      ...FIXTURE_A.services,
      {
        ns: 'ns7',
        name: 'three',
        port: 80,
        clusterIP: '172.30.0.47',
        endpoints: [{ ip: '10.180.7.1' }, { ip: '10.180.7.2' }, { ip: '10.180.7.3' }],
      },
    ]),
  );
  it('three endpoints: 1/3 each, with the deciding rules and line numbers', () => {
    const text = formatTraceText(
      traceIptables(inputs, { src: '10.0.0.2', dst: '172.30.0.47', port: 80, proto: 'tcp' }),
    );
    expect(text).toContain('3 possible outcomes for a new connection:');
    expect(text.match(/^\[\d\] 1\/3 \(33\.3%\) {2}DNAT → 10\.180\.7\.\d:80 \(service ns7\/three\)$/gm)).toHaveLength(3);
    expect(text).toMatch(/dnat +nat KUBE-SEP-\w+ \(line \d+\) \[endpoint ns7\/three → 10\.180\.7\.1:80\]/);
    expect(text).toContain("masquerade (SNAT to the node's address): no — the endpoint sees the real client IP");
    expect(text).toContain('This trace is for the first packet of a NEW connection');
  });
  it('reject and drop read differently (refused at once vs timeout)', () => {
    expect(
      formatTraceText(traceIptables(inputs, { src: '10.0.0.2', dst: '172.30.0.46', port: 80, proto: 'tcp' })),
    ).toContain('REJECT — refused at once: the client sees "connection refused"');
    expect(
      formatTraceText(traceIptables(inputs, { src: '203.0.113.2', dst: '192.168.99.22', port: 80, proto: 'tcp' })),
    ).toContain('DROP — silently discarded: the client waits and times out');
  });
  it('formatProbability', () => {
    expect([1, 0.5, 1 / 3, 0.3333, 0.000012].map(formatProbability)).toEqual([
      '100%',
      '1/2 (50.0%)',
      '1/3 (33.3%)',
      '33.3%',
      '0.0012%',
    ]);
  });
});
