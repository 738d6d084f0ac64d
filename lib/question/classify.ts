/**
 * One verdict per outcome: what the client sees (delivered / dropped / rejected / unanswered),
 * where it was decided, by which rule and whose, and the pod the packet was headed to. A
 * non-answer is never 'delivered': an un-DNATed packet to a Service address, a drop kube-proxy
 * asked for and nothing enforces, a DNAT to an address nothing has, a node that was not collected.
 */
import type { AnswerPod, AnswerReason, AnswerRule, OutcomeAnswer } from '@/lib/model/answer';
import type { TraceStep } from '@/lib/model/trace';
import { parseEndpoint } from '@/lib/net/ip';
import type { Inventory } from './inventory';
import type { Chain, Leg } from './walk';
import { isServiceAddress, targetExists } from './walk';
import { ownerOf, ruleName } from './owner';

/** OutcomeAnswer without the sentence, plus what the sentence needs. */
export interface Classified extends Omit<OutcomeAnswer, 'sentence'> {
  chain: Chain;
  /** The leg (node) where DNAT happened, if any. */
  dnatLeg?: Leg;
  /** `ip:port` the DNAT rewrote the destination to. */
  dnatTo?: string;
  /** Service port name from the DNAT rule, e.g. `default/web:http`. */
  service?: string;
  /** Node that masqueraded the flow, if any. */
  masqueradedOn?: string;
  /** The inventory knows pods and nodes (a snapshot with API objects), not just one node's rules. */
  podsKnown: boolean;
}

const bareTable = (t: string): string => t.replace(/^ip6?tables /, '');

function commentOf(raw: string): string | undefined {
  const m = raw.match(/--comment (?:"((?:[^"\\]|\\.)*)"|(\S+))/);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function ruleOfStep(node: string, s: TraceStep): AnswerRule {
  const comment = commentOf(s.raw);
  const table = bareTable(s.table);
  const rule: AnswerRule = {
    node,
    table,
    chain: s.chain,
    line: s.line,
    raw: s.raw,
    owner:
      s.effect === 'policy' ? (table === 'routing' ? 'unknown' : 'host-firewall') : ownerOf(table, s.chain, comment),
  };
  const name = ruleName(comment);
  if (name) rule.name = name;
  return rule;
}

/** The step that ended the walk on a node (the DROP/REJECT rule, or the DROP policy). */
function decidingStep(steps: TraceStep[]): TraceStep | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (s.effect === 'drop' || s.effect === 'reject' || (s.effect === 'policy' && /policy DROP/.test(s.why))) return s;
  }
  return undefined;
}

function podOf(inv: Inventory, ip: string, port: number): AnswerPod | undefined {
  if (!inv.hasApi) return undefined; // without the API nothing can be said about existence
  const p = inv.podByIp(ip);
  const pod: AnswerPod = { ip, port, exists: targetExists(inv, ip) };
  if (p) {
    pod.namespace = p.namespace;
    pod.name = p.name;
    if (p.node) pod.node = p.node;
  } else {
    const n = inv.nodeByAddress(ip);
    if (n) pod.node = n;
  }
  return pod;
}

export function classify(inv: Inventory, chain: Chain): Classified {
  const { legs, stop } = chain;
  const last = legs[legs.length - 1];
  const nodes = legs.map((l) => l.node);
  // A DNAT step counts even when the packet was dropped after it (verdict drop, `to` null).
  const dnatLeg = legs.find((l) => l.outcome?.steps.some((s) => s.effect === 'dnat'));
  const dnatStep = dnatLeg?.outcome?.steps.find((s) => s.effect === 'dnat');
  const service = dnatLeg?.outcome?.endpoint?.service ?? dnatStep?.label?.service;
  const masqLeg = legs.find((l) => l.outcome?.masquerade);
  let pod: AnswerPod | undefined;
  const targetText = dnatLeg?.outcome?.to ?? dnatStep?.label?.endpoint ?? dnatStep?.why.match(/DNAT to (\S+)/)?.[1];
  const target = dnatLeg ? (targetText ? parseEndpoint(targetText) : undefined) : undefined;
  if (target) pod = podOf(inv, target.ip, target.port);
  else if (stop.kind === 'pod') pod = podOf(inv, stop.ip, stop.port);
  const base = {
    nodes,
    node: last.node,
    chain,
    dnatLeg,
    dnatTo: targetText,
    service,
    masqueradedOn: masqLeg?.node,
    podsKnown: inv.hasApi,
  } as const;
  const out = (answer: OutcomeAnswer['answer'], reason: AnswerReason, rule?: AnswerRule): Classified => {
    const c: Classified = { answer, reason, ...base };
    if (rule) c.rule = rule;
    if (pod) c.pod = pod;
    return c;
  };
  // The packet went on after a DNAT to an address nothing has: whatever the kernel did with it
  // next (handed to a pod interface nobody owns, routed away), the stale rule is the answer.
  const goesOn =
    stop.kind === 'pod' ||
    stop.kind === 'external' ||
    stop.kind === 'no-route' ||
    stop.kind === 'loop' ||
    stop.kind === 'node-local';
  if (goesOn && pod && !pod.exists && dnatStep)
    return out('unanswered', 'stale-endpoint', ruleOfStep(dnatLeg!.node, dnatStep));
  switch (stop.kind) {
    case 'verdict': {
      const o = last.outcome!;
      const s = decidingStep(o.steps);
      const rule = s ? ruleOfStep(last.node, s) : undefined;
      if (s?.table === 'routing') return out(o.verdict === 'reject' ? 'rejected' : 'dropped', 'no-route', rule);
      return out(
        o.verdict === 'reject' ? 'rejected' : 'dropped',
        o.verdict === 'reject' ? 'rule-reject' : 'rule-drop',
        rule,
      );
    }
    case 'mark-drop': {
      const j = stop.mark.jump;
      const rule: AnswerRule = {
        node: last.node,
        table: bareTable(j.table),
        chain: j.chain,
        line: j.line,
        raw: j.raw,
        owner: ownerOf(bareTable(j.table), j.chain, j.comment),
      };
      if (j.comment) rule.name = j.comment;
      return out('unanswered', 'mark-drop-unenforced', rule);
    }
    case 'undnated': {
      const q = legs[0].arrives;
      const svc = inv.serviceByClusterIp(q.dst) ?? inv.serviceByExternalIp(q.dst);
      const exposed = svc?.ports.some((p) => p.port === q.port && p.protocol.toLowerCase() === q.proto);
      // Owned and exposed but not DNATed: the node has no rule for it (its kube-proxy lags or is not running).
      const reason: AnswerReason = !svc
        ? 'no-service'
        : !exposed
          ? 'unexposed-port'
          : inv.serviceByExternalIp(q.dst)
            ? 'external-undnated'
            : 'missing-rules';
      return out('unanswered', reason);
    }
    case 'not-collected':
      return out('unanswered', 'not-collected');
    case 'no-route':
    case 'loop':
      return out('unanswered', 'no-route');
    case 'node-local':
    case 'pod':
    case 'external':
      // An un-DNATed LB / external IP that is forwarded on (not local) reaches nothing that answers.
      if (
        !dnatLeg &&
        stop.kind === 'external' &&
        inv.serviceByExternalIp(legs[0].arrives.dst) &&
        isServiceAddress(inv, legs[0].arrives.dst)
      )
        return out('unanswered', 'external-undnated');
      return out('delivered', 'delivered');
  }
}
