/**
 * Test helper: trace an upstream-style flow case against an iptables-save text and reduce the
 * result to upstream's vocabulary (DNAT targets in rule order, DROP/REJECT, ACCEPT when a kube
 * rule accepted, "" when nothing kube-proxy wrote touched the packet).
 */
import type { TraceResult, Outcome } from '@/lib/model/trace';
import type { TraceInputs } from '@/lib/model/trace-inputs';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { traceIptables } from '@/lib/trace/netfilter/trace-iptables';
import type { EngineOptions } from '@/lib/trace/core/engine-start';
import type { FlowCase } from '@/testkit/upstream-cases/upstream-cases';
import { TEST_NODE_IPS } from '@/testkit/upstream-cases/upstream-cases';

export function inputsFromSave(text: string, localIPs = TEST_NODE_IPS): TraceInputs {
  const r = parseIptablesSave(text);
  if (r.issues.some((i) => i.severity === 'error'))
    throw new Error(`parse issues: ${JSON.stringify(r.issues.slice(0, 3))}`);
  const v6 = r.value.family === 'ipv6';
  return v6 ? { ip6tables: r.value, localIPs } : { iptables: r.value, localIPs };
}

/** Upstream's word for one outcome. */
export function outcomeWord(o: Outcome): string {
  if (o.verdict === 'dnat') return o.to ?? '?';
  if (o.verdict === 'drop') return 'DROP';
  if (o.verdict === 'reject') return 'REJECT';
  const kubeAccept = o.steps.some(
    (s) => s.effect === 'accept' && s.chain.startsWith('KUBE-') && !s.chain.startsWith('KUBE-FORWARD'),
  );
  return kubeAccept ? 'ACCEPT' : '';
}

export interface FlowAnswer {
  output: string;
  masq: boolean[];
  result: TraceResult;
}

export function traceFlow(inputs: TraceInputs, c: FlowCase, opts: EngineOptions = {}): FlowAnswer {
  const result = traceIptables(inputs, { src: c.src, dst: c.dst, port: c.port, proto: c.proto ?? 'tcp' }, opts);
  const words = result.outcomes.map(outcomeWord);
  return { output: words.join(', '), masq: result.outcomes.map((o) => o.masquerade), result };
}
