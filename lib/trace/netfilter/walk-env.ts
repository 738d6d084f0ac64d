/**
 * What a chain walk carries and how it ends, shared by the walker and the target code it calls
 * (kept apart from both so the walker and the targets do not import each other).
 */
import type { NetfilterDump, Rule, TableName } from '@/lib/model/netfilter';
import type { StepEffect, TraceStep } from '@/lib/model/trace';
import type { Branch } from '@/lib/trace/core/branch';
import type { MatchEnv } from '@/lib/trace/netfilter/match-modules';
import { serviceFromComment, inheritsService, ruleComment } from '@/lib/trace/netfilter/labels';

export interface WalkEnv extends MatchEnv {
  dump: NetfilterDump;
  table: TableName;
  /** Label for steps: `nat`, or `ip6tables nat`. */
  tableLabel: string;
  /** Trace-wide notes (affinity, ...), deduplicated by the caller. */
  notes: Set<string>;
  /** Minimum chain length for the hash index; Infinity = always linear. */
  indexMinRules?: number;
}

/** How a walk of a chain ended for one branch. `fall`: ran off the end; `nat`: a NAT target
 *  took the packet (the rest of this table's hook is skipped). */
export type ExitKind = 'fall' | 'return' | 'accept' | 'drop' | 'reject' | 'nat';

export interface Exit {
  b: Branch;
  kind: ExitKind;
}

/** Walks a chain from a rule for one branch: how a jump target re-enters the walker. */
export type WalkFn = (env: WalkEnv, chainName: string, b: Branch, start?: number, depth?: number) => Exit[];

export function pushStep(
  b: Branch,
  env: WalkEnv,
  rule: Rule | null,
  chain: string,
  effect: StepEffect,
  why: string,
  extra?: Partial<TraceStep>,
): void {
  const step: TraceStep = { table: env.tableLabel, chain, line: rule?.line ?? 0, raw: rule?.raw ?? '', effect, why };
  if (extra) {
    if (extra.label) step.label = extra.label;
    if (extra.branchProbability !== undefined) step.branchProbability = extra.branchProbability;
    if (extra.assumptions) step.assumptions = extra.assumptions;
    if (extra.line !== undefined) step.line = extra.line;
  }
  b.steps.push(step);
}

/** Service label for a jump from `chain` via `rule`: the comment's, else inherited. */
export function serviceForJump(chain: string, rule: Rule, b: Branch): string | undefined {
  return serviceFromComment(ruleComment(rule)) ?? (inheritsService(chain) ? b.service : undefined);
}
