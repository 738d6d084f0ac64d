/**
 * Declares one vitest suite of kernel-verified cases over one topology and one or more rulesets.
 * Case names come from a planned (not yet created) topology so vitest can list them; the real
 * topology is built in beforeAll. Not root → the whole suite is skipped with a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '@/testkit/netns/exec';
import { createTopology, planTopology } from '@/testkit/netns/topology';
import type { Topology, TopologyPlan, TopologySpec } from '@/testkit/netns/topology';
import type { TraceResult } from '@/lib/model/trace';
import type { KernelCase, LoadedRules } from './lab-case';
import { loadNftRules, loadRules, runCase, scriptRules } from './lab-case';
import { loadTracer } from './tracer';
import type { TraceFn } from './tracer';
import { describeReport, recordReport } from './report-sink';

export interface RulesetGroup {
  name: string;
  /** iptables-restore text (or `nft -f` text when `nft`) for node 1, from the real topology's addresses. */
  rules(topo: TopologyPlan): string;
  nft?: boolean;
  /** nft only, `rules` is a knftables command script: the tracer reads the script itself, and each
   *  case also checks it traces exactly like the kernel's `nft list ruleset` of it. */
  script?: boolean;
  /** ip6tables-restore text (dual-stack topology). */
  family?: 4 | 6;
  /** Extra node 1 setup before loading (e.g. sysctls kube-proxy would set). */
  setup?(topo: Topology): Promise<void>;
  cases(topo: TopologyPlan): KernelCase[];
}

export const STANDARD_PODS: TopologySpec = {
  pods: [
    { name: 'a', node: 1 },
    { name: 'b', node: 1 },
    { name: 'c', node: 2 },
  ],
};

const ROOT_MESSAGE =
  'kernel-verified tests need root (network namespaces, iptables-restore); skipped because not running as root';

/** Declares the suite. */
export function kernelSuite(title: string, groups: RulesetGroup[], spec: TopologySpec = STANDARD_PODS): void {
  if (!isRoot()) {
    describe(title, () => {
      it.skip(ROOT_MESSAGE, () => {});
    });
    return;
  }
  const planned = planTopology({ ...spec, hex: '0000' });
  describe(title, () => {
    let topo: Topology;
    let tracer: { fn?: TraceFn; from: string };
    beforeAll(async () => {
      topo = await createTopology(spec);
      tracer = await loadTracer();
    });
    afterAll(async () => {
      await topo?.teardown();
    });
    for (const group of groups) {
      describe(group.name, () => {
        let rules: LoadedRules;
        let listed: LoadedRules | undefined;
        beforeAll(async () => {
          await group.setup?.(topo);
          const text = group.rules(topo);
          rules = group.nft ? await loadNftRules(topo, text) : await loadRules(topo, text, group.family ?? 4);
          if (group.script) {
            listed = rules;
            rules = scriptRules(listed, text);
          }
        });
        group.cases(planned).forEach((template, i) => {
          it(template.name, async () => {
            const c = group.cases(topo)[i];
            const report = await runCase(topo, rules, c, tracer.fn);
            recordReport(`${title} / ${group.name}`, report, tracer.from);
            const msg = describeReport(report);
            expect(report.specProblems, msg).toEqual([]);
            expect(tracer.fn, `no tracer to compare with: ${tracer.from}`).toBeDefined();
            expect(report.tracerProblems, msg).toEqual([]);
            expect(report.counterProblems, msg).toEqual([]);
            if (listed) {
              const gist = (r: TraceResult) =>
                r.outcomes.map((o) => ({
                  verdict: o.verdict,
                  to: o.to,
                  probability: o.probability,
                  masquerade: o.masquerade,
                }));
              expect(report.trace, msg).toBeDefined();
              expect(gist(report.trace!), 'script parse vs kernel listing parse').toEqual(
                gist(tracer.fn!(listed.inputs, report.packet)),
              );
            }
          });
        });
      });
    }
  });
}
