/**
 * The kernel comparison must be able to fail: deliberately wrong tracers (masquerade forgotten,
 * skewed split, DROP reported as REJECT, an extra endpoint) are run against the same real packets
 * and must each be caught, while the real tracer passes. Root only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '@/lib/model/trace';
import { isRoot } from '@/testkit/netns/exec';
import { createTopology } from '@/testkit/netns/topology';
import type { Topology } from '@/testkit/netns/topology';
import { STANDARD_PODS } from './kernel-suite';
import { currentLayoutRules } from './kube-rules-current';
import { currentCases, standardServices } from './scenarios-current';
import { loadRules, runCase } from './lab-case';
import type { LoadedRules } from './lab-case';
import { loadTracer } from './tracer';
import type { TraceFn } from './tracer';

type Mutation = (r: TraceResult) => TraceResult;
const mutate =
  (fn: TraceFn, m: Mutation): TraceFn =>
  (inputs, packet) =>
    m(fn(inputs, packet));

const MUTATIONS: [string, string, Mutation][] = [
  [
    'forgets masquerade',
    'outside client → NodePort',
    (r) => ({ ...r, outcomes: r.outcomes.map((o) => ({ ...o, masquerade: false })) }),
  ],
  [
    'skews the split 0.9 / 0.1 / 0',
    'outside client → NodePort',
    (r) => ({ ...r, outcomes: r.outcomes.map((o, i) => ({ ...o, probability: [0.9, 0.1, 0][i] ?? 0 })) }),
  ],
  [
    'says REJECT where the kernel drops',
    'ETP=Local without local endpoints: client → NodePort is dropped',
    (r) => ({ ...r, outcomes: r.outcomes.map((o) => ({ ...o, verdict: 'reject' as const })) }),
  ],
  [
    'says DNAT to a local endpoint where ETP=Local has none',
    'ETP=Local without local endpoints: client → NodePort is dropped',
    (r) => ({
      ...r,
      outcomes: [
        {
          verdict: 'dnat',
          to: `${r.packet.src.replace(/\.\d+$/, '.99')}:8080`,
          probability: 1,
          masquerade: false,
          steps: [],
          assumptions: [],
        },
      ],
    }),
  ],
];

describe.skipIf(!isRoot())('kernel comparison catches wrong tracers (needs root; skipped otherwise)', () => {
  let topo: Topology;
  let rules: LoadedRules;
  let tracer: TraceFn;
  beforeAll(async () => {
    topo = await createTopology(STANDARD_PODS);
    rules = await loadRules(topo, currentLayoutRules(standardServices(topo)));
    const t = await loadTracer();
    if (!t.fn) throw new Error(t.from);
    tracer = t.fn;
  });
  afterAll(async () => {
    await topo?.teardown();
  });
  const find = (name: string) => {
    const c = currentCases(topo).find((x) => x.name.startsWith(name));
    if (!c) throw new Error(`no case ${name}`);
    return c;
  };

  it.each(MUTATIONS)('a tracer that %s is caught', async (_what, caseName, m) => {
    const c = find(caseName);
    const honest = await runCase(topo, rules, c, tracer);
    expect(honest.tracerProblems).toEqual([]);
    const wrong = await runCase(topo, rules, c, mutate(tracer, m));
    expect(wrong.tracerProblems.length).toBeGreaterThan(0);
  });
});
