/**
 * Upstream kube-proxy acceptance fixtures A–L, as real iptables-save text written by the
 * builder, traced by the full netfilter evaluator: outputs in rule order and masquerade per
 * outcome; the same dumps through compat mode reproduce upstream's answer strings exactly.
 */
import { describe, it, expect } from 'vitest';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import {
  FIXTURE_A,
  FIXTURE_B,
  FIXTURE_C,
  FIXTURE_D,
  FIXTURES_E,
  FIXTURE_F,
  FIXTURE_G,
  FIXTURE_H,
  FIXTURES_I,
} from '@/testkit/upstream-cases/upstream-cases';
import type { UpstreamFixture } from '@/testkit/upstream-cases/upstream-cases';
import { FIXTURES_JK, FIXTURES_L } from '@/testkit/upstream-cases/upstream-cases-jkl';
import { inputsFromSave, traceFlow } from '@/testkit/upstream-cases/flow';
import { compatAnswer } from '@/lib/trace/netfilter/compat';

const ALL: UpstreamFixture[] = [
  FIXTURE_A,
  FIXTURE_B,
  FIXTURE_C,
  FIXTURE_D,
  ...FIXTURES_E,
  FIXTURE_F,
  FIXTURE_G,
  FIXTURE_H,
  ...FIXTURES_I,
  ...FIXTURES_JK,
  ...FIXTURES_L,
];

for (const fx of ALL) {
  describe(`upstream fixture ${fx.name}`, () => {
    const inputs = inputsFromSave(buildKubeRules(fx.services, fx.config));
    it.each(fx.flows)('$id: $src → $dst:$port gives "$output"', (c) => {
      const a = traceFlow(inputs, c);
      expect(a.output).toBe(c.output);
      const dnat = a.result.outcomes.filter((o) => o.verdict === 'dnat');
      if (c.masq !== undefined && dnat.length) expect(dnat.map((o) => o.masquerade)).toEqual(dnat.map(() => c.masq));
      const sum = a.result.outcomes.reduce((s, o) => s + o.probability, 0);
      expect(sum).toBeCloseTo(1, 9);
    });
  });
}

describe('compat mode reproduces upstream answers', () => {
  // Upstream's tracer walks nat PREROUTING only and ignores nat OUTPUT, -i/-o, etc.
  for (const fx of [FIXTURE_A, FIXTURE_B, FIXTURE_C, FIXTURE_D, FIXTURE_G, FIXTURE_H]) {
    const inputs = inputsFromSave(buildKubeRules(fx.services, fx.config));
    it.each(fx.flows)(`${fx.name} $id`, (c) => {
      const a = compatAnswer(inputs, { src: c.src, dst: c.dst, port: c.port, proto: c.proto ?? 'tcp' });
      expect(a.output).toBe(c.output);
      if (c.masq !== undefined) expect(a.masquerade).toBe(c.masq);
    });
  }
});

describe('per-branch masquerade (hairpin)', () => {
  it('a pod reaching its own service is masqueraded only on the branch that picks itself', () => {
    const inputs = inputsFromSave(buildKubeRules(FIXTURE_C.services));
    const a = traceFlow(inputs, { id: 'hp', src: '10.180.0.1', dst: '172.30.0.42', port: 80, output: '' });
    expect(a.output).toBe('10.180.0.1:80, 10.180.2.1:80');
    expect(a.masq).toEqual([true, false]);
    expect(a.result.outcomes.map((o) => o.probability)).toEqual([0.5, 0.5]);
    // compat mode reports one global flag, over-reporting the second branch
    expect(compatAnswer(inputs, { src: '10.180.0.1', dst: '172.30.0.42', port: 80, proto: 'tcp' }).masquerade).toBe(
      true,
    );
  });
});
