/**
 * Turning finished branches into Outcomes: verdict, final destination, probability (snapped
 * to an exact 1/n when kube-proxy's 1/(n−i) statistic chain produced it), masquerade per
 * branch, and the union of the branch's assumptions.
 */
import type { Outcome, Packet } from '@/lib/model/trace';
import type { Branch } from '@/lib/trace/core/branch';
import { fmtEndpoint as formatEndpoint } from '@/lib/trace/core/match-util';

/**
 * iptables stores probability as round(p·2³¹)/2³¹ and kube-proxy writes 1/(n−i) with 10
 * decimals, so p_i = q_i·Π(1−q_j) lands within ~1e-9 of 1/n. Snap it so the UI can say "1/3".
 */
export function snapProbability(p: number): number {
  if (p <= 0 || p >= 1) return Math.min(1, Math.max(0, p));
  const n = Math.round(1 / p);
  // Neighbouring fractions 1/n and 1/(n+1) are ~1/n² apart: beyond n ≈ 20000 snapping could pick
  // the wrong n, so large n keep their computed value.
  if (n >= 1 && n <= 20_000 && Math.abs(p - 1 / n) <= 1e-9) return 1 / n;
  return p;
}

/** "1/3" for p ≈ 1/3, else a percentage. */
export function formatProbability(p: number): string {
  if (p === 1) return '100%';
  const n = Math.round(1 / p);
  if (n > 1 && Math.abs(p - 1 / n) < 1e-12) return `1/${n} (${(100 / n).toFixed(n > 100 ? 4 : 1)}%)`;
  return `${(p * 100).toFixed(p < 0.01 ? 4 : 1)}%`;
}

export function branchToOutcome(b: Branch, packet: Packet): Outcome {
  const verdict = b.verdict && b.verdict !== 'accept' ? b.verdict : b.dnat ? 'dnat' : 'accept';
  const to = verdict === 'drop' || verdict === 'reject' ? null : formatEndpoint(b.pkt.dst, b.pkt.dport);
  const o: Outcome = {
    verdict,
    to,
    probability: snapProbability(b.probability),
    masquerade: verdict === 'drop' || verdict === 'reject' ? false : b.masquerade,
    steps: b.steps,
    assumptions: b.assumptions,
  };
  if (b.snat) o.snatTo = b.snat;
  if (b.path) o.path = b.path;
  if (b.dnat && verdict === 'dnat') o.endpoint = { service: b.endpointService, ip: b.dnat.ip, port: b.dnat.port };
  void packet;
  return o;
}

/** Outcomes in a stable order: the walk order (rule order), which is kube-proxy's endpoint order. */
export function outcomesOf(branches: Branch[], packet: Packet): Outcome[] {
  const out = branches.filter((b) => b.probability > 0).map((b) => branchToOutcome(b, packet));
  // Snapping must not break "probabilities sum to 1": keep it only when the snapped set still does.
  const sum = out.reduce((s, o) => s + o.probability, 0);
  if (Math.abs(sum - 1) > 1e-12) {
    out.forEach((o, i) => {
      o.probability = branches.filter((b) => b.probability > 0)[i].probability;
    });
  }
  return out;
}
