/**
 * What a client would observe, as a probability distribution over categories:
 * `pod-a@10.1.1.1` (answered by pod-a, which saw source 10.1.1.1), `refused` (REJECT),
 * `timeout` (DROP), or `unexplained:...` for answers the lab cannot produce (so they never match).
 * Both the tracer's answer and a case's spec expectation are turned into this form and compared
 * with what real packets did.
 */
import type { TraceResult } from '@/lib/model/trace';

export type Prediction = Map<string, number>;

/** How the lab maps addresses to pods and which address a masquerading node puts on the packet. */
export interface LabView {
  podLabelByIP(ip: string): string | undefined;
  /** True for addresses node 1 owns (it runs no listener on the probed ports). */
  isNodeLocal(ip: string): boolean;
  /** Address MASQUERADE picks when the flow leaves node 1 towards `podIP` (its egress interface's). */
  masqueradeSource(podIP: string): string;
}

/** Observation category for "pod answered on `port` and saw source `seenSrc`": `pod-a:8080@10.1.1.1`. */
export const answeredKey = (pod: string, port: number, seenSrc: string) => `${pod}:${port}@${seenSrc}`;

/** Adds `p` to `key` (outcomes with the same observable effect merge). */
function bump(pred: Prediction, key: string, p: number): void {
  pred.set(key, (pred.get(key) ?? 0) + p);
}

/** The tracer's outcomes as an observable distribution for a packet from `src`. */
export function predictionFromTrace(result: TraceResult, src: string, lab: LabView): Prediction {
  const pred: Prediction = new Map();
  for (const o of result.outcomes) {
    if (o.verdict === 'drop') bump(pred, 'timeout', o.probability);
    else if (o.verdict === 'reject') bump(pred, 'refused', o.probability);
    else {
      const [ip, port] = splitHostPort(o.to ?? `${result.packet.dst}:${result.packet.port}`, result.packet.port);
      const pod = lab.podLabelByIP(ip);
      // Untouched packets: the lab's node runs no listener (TCP RST / ICMP port unreachable =
      // refused), and nobody owns any other non-pod address (neighbour resolution fails = timeout).
      if (!pod && o.verdict === 'accept') bump(pred, lab.isNodeLocal(ip) ? 'refused' : 'timeout', o.probability);
      else if (!pod) bump(pred, `unexplained:${o.verdict} to ${o.to ?? '?'}`, o.probability);
      else
        bump(pred, answeredKey(pod, port, o.snatTo ?? (o.masquerade ? lab.masqueradeSource(ip) : src)), o.probability);
    }
  }
  return pred;
}

/** A case's expectation written by hand from docs/kube-proxy-semantics.md. */
export type ExpectedOutcome =
  | {
      pod: string;
      ip: string;
      p: number;
      masq: boolean;
      /** pod-side port (default: the case's) */
      port?: number;
      /** Source the pod sees when a (non-kube) SNAT rewrote it. */
      seenSrc?: string;
    }
  | { kind: 'refused' | 'timeout'; p: number };

/** The spec expectation as an observable distribution. */
export function predictionFromSpec(
  expected: ExpectedOutcome[],
  src: string,
  lab: LabView,
  defaultPort: number,
): Prediction {
  const pred: Prediction = new Map();
  for (const e of expected) {
    if ('kind' in e) bump(pred, e.kind, e.p);
    else
      bump(
        pred,
        answeredKey(e.pod, e.port ?? defaultPort, e.seenSrc ?? (e.masq ? lab.masqueradeSource(e.ip) : src)),
        e.p,
      );
  }
  return pred;
}

/** `ip:port` / `[v6]:port` / bare ip → [ip, port] (port defaults to `fallback`). */
function splitHostPort(to: string, fallback: number): [string, number] {
  if (to.startsWith('[')) {
    const end = to.indexOf(']');
    return [to.slice(1, end), to[end + 1] === ':' ? Number(to.slice(end + 2)) : fallback];
  }
  const i = to.lastIndexOf(':');
  return i > 0 && to.indexOf(':') === i ? [to.slice(0, i), Number(to.slice(i + 1))] : [to, fallback];
}
