/**
 * The netfilter chain walker: evaluates one chain of one table for a branch, the way
 * ipt_do_table does — rules in order, user-chain jumps with a return stack, `-g` goto
 * (RETURN then goes back to the caller's caller), RETURN, and verdicts. A statistic match
 * forks the branch; every fork is walked to its own end.
 */
import type { Branch } from '@/lib/trace/core/branch';
import { forkBranch, assume } from '@/lib/trace/core/branch';
import { matchRule } from '@/lib/trace/netfilter/match-rule';
import { candidateRules } from '@/lib/trace/netfilter/chain-index';
import { makeLabel } from '@/lib/trace/netfilter/labels';
import { pushStep, type Exit, type WalkEnv } from '@/lib/trace/netfilter/walk-env';

import { applyTarget } from '@/lib/trace/netfilter/apply-target';

const MAX_DEPTH = 64;

/** Walk `chainName` from rule `start` for branch `b`. Returns every way the walk can end. */
export function walkChain(env: WalkEnv, chainName: string, b: Branch, start = 0, depth = 0): Exit[] {
  const chain = env.dump.tables[env.table]?.chains[chainName];
  if (!chain) return [{ b, kind: 'fall' }];
  if (depth > MAX_DEPTH) {
    assume(b, `chain nesting deeper than ${MAX_DEPTH} at ${chainName}; walk stopped (loop?)`);
    return [{ b, kind: 'fall' }];
  }
  const exits: Exit[] = [];
  const rules = chain.rules;
  const cands = candidateRules(chain, b.pkt, start, env.indexMinRules);
  const n = cands ? cands.length : rules.length;
  for (let k = cands ? 0 : start; k < n; k++) {
    const i = cands ? cands[k] : k;
    const rule = rules[i];
    const m = matchRule(rule, b, env);
    for (const note of m.notes) env.notes.add(note);
    if (!m.ok) {
      for (const a of m.assumptions) assume(b, `line ${rule.line}: ${a}`);
      continue;
    }
    if (m.q !== undefined && m.q <= 0) continue;
    if (m.q !== undefined && m.q < 1) {
      // Statistic split: the taken branch runs the target; the other continues with the next
      // rule. Taken first, so outcomes come out in rule order (kube-proxy's endpoint order).
      const taken = forkBranch(b, m.q);
      const skip = forkBranch(b, 1 - m.q);
      const res = applyTarget(env, chainName, rule, taken, m, depth, walkChain);
      if (res.kind === 'continue')
        for (const c of res.branches) exits.push(...walkChain(env, chainName, c, i + 1, depth));
      exits.push(...res.exits);
      const last = skip.steps[skip.steps.length - 1];
      if (
        last &&
        last.effect === 'branch' &&
        last.chain === chainName &&
        last.table === env.tableLabel &&
        last.branchProbability !== undefined
      ) {
        // Consecutive not-taken statistic rules collapse into one step (a 5000-endpoint Service
        // would otherwise give its last outcome 5000 steps, and every fork would copy them).
        const p = last.branchProbability * (1 - m.q);
        skip.steps[skip.steps.length - 1] = {
          ...last,
          raw: rule.raw,
          branchProbability: p,
          why: `not taken at the statistic rules of lines ${last.line}–${rule.line} (probability ${round(p)} together); continues with the next rule`,
        };
      } else {
        pushStep(
          skip,
          env,
          rule,
          chainName,
          'branch',
          `not taken (probability ${round(1 - m.q)}); continues with the next rule`,
          {
            branchProbability: 1 - m.q,
            label: makeLabel(chainName, b.service),
          },
        );
      }
      // Continue the loop with the other branch instead of recursing: a Service with thousands
      // of endpoints is thousands of statistic rules in a row.
      b = skip;
      continue;
    }
    const res = applyTarget(env, chainName, rule, b, m, depth, walkChain);
    if (res.kind === 'continue' && res.branches.length === 1 && res.exits.length === 0) {
      b = res.branches[0]; // a non-terminating target, or a jump that came back as one branch
      continue;
    }
    if (res.kind === 'continue') {
      // The jump came back as several branches: each continues with the next rule.
      for (const c of res.branches) exits.push(...walkChain(env, chainName, c, i + 1, depth));
    }
    exits.push(...res.exits);
    return exits;
  }
  exits.push({ b, kind: 'fall' });
  return exits;
}

function round(p: number): string {
  return String(Math.round(p * 1e9) / 1e9);
}
