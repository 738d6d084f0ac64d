/**
 * TEMPORARY, removed once the `engine` branch's lib/question/answerQuestion lands: fills the
 * answer contract (per-outcome answer/sentence/detail, top-level path) crudely from the one-node
 * trace so the console can be built against the types. It knows nothing of the later hops, whose
 * rule decided, or kubelet's drop rules; do not grow it.
 */
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { TraceResult } from '@/lib/model/trace';
import type { Answer, AnswerReason } from '@/lib/model/answer';

export function temporaryAnswer(snap: ClusterSnapshot, node: string, r: TraceResult): TraceResult {
  const podByIp = new Map((snap.api?.pods ?? []).flatMap((p) => p.podIPs.map((ip) => [ip, p] as const)));
  const svcIps = new Set((snap.api?.services ?? []).flatMap((s) => [...s.clusterIPs, ...s.externalIPs, ...s.loadBalancerIPs]));
  const outcomes = r.outcomes.map((o) => {
    const ip = o.to ? (o.to.startsWith('[') ? o.to.slice(1, o.to.indexOf(']')) : o.to.slice(0, o.to.lastIndexOf(':'))) : undefined;
    const pod = ip ? podByIp.get(ip) : undefined;
    let answer: Answer;
    let reason: AnswerReason;
    if (o.verdict === 'drop') [answer, reason] = ['dropped', 'rule-drop'];
    else if (o.verdict === 'reject') [answer, reason] = ['rejected', 'rule-reject'];
    else if (o.verdict === 'accept' && svcIps.has(r.packet.dst)) [answer, reason] = ['unanswered', 'unexposed-port'];
    else if (o.verdict === 'dnat' && !pod) [answer, reason] = ['unanswered', 'stale-endpoint'];
    else [answer, reason] = ['delivered', 'delivered'];
    const who = pod ? `${pod.namespace}/${pod.name} ` : '';
    const sentence = answer === 'delivered' ? `✓ delivered to ${who}${o.to} on ${pod?.nodeName ?? node}`
      : answer === 'unanswered' ? `✗ no answer: ${o.to ?? r.packet.dst} on ${node} (${reason})`
        : `✗ ${answer} on ${node}; the client ${answer === 'dropped' ? 'times out' : 'sees connection refused'}`;
    return { ...o, answer, sentence, detail: { answer, sentence, reason, node, nodes: [node] } };
  });
  return { ...r, outcomes, path: r.path ?? [{ node, outcomes: outcomes.map((_, i) => i), arrives: r.packet, steps: outcomes.flatMap((o) => o.steps), collected: true }] };
}
