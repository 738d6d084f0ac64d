/**
 * Real traffic: N new connections (TCP) or datagrams (UDP) from one netns, classified the way a
 * client experiences them. A REJECT shows up as "refused" at once, a DROP as a timeout, and an
 * answer names the pod that served it and the source address that pod saw (masquerade or not).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nsRun } from './exec';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export type ProbeOutcome =
  /** `port`: the pod-side port that answered (after DNAT). */
  | { kind: 'answered'; pod: string; seenSrc: string; port: number }
  /** `code`: ECONNREFUSED (RST / port unreachable), EHOSTUNREACH, ENETUNREACH or EACCES (other ICMP rejects). */
  | { kind: 'refused'; code?: string }
  | { kind: 'timeout' }
  | { kind: 'error'; code: string };

export interface ProbeRequest {
  proto: 'tcp' | 'udp';
  host: string;
  port: number;
  /** Number of new connections, all sent at once (each gets its own source port). */
  count: number;
  /** Per-connection timeout; a DROP costs exactly this long (default 1000 ms: below the first SYN
   *  retransmission, far above an answer's latency even on a loaded 2-core CI machine). */
  timeoutMs?: number;
  /** Source address to bind (e.g. the client's "blocked" address). */
  localAddress?: string;
}

/** Sends the probes from netns `ns` and returns one outcome per connection. */
export async function probe(ns: string, req: ProbeRequest): Promise<ProbeOutcome[]> {
  const body = JSON.stringify({ ...req, timeoutMs: req.timeoutMs ?? 1000 });
  const res = await nsRun(ns, process.execPath, [path.join(HERE, 'probe-client.mjs'), body], { timeoutMs: 30_000 });
  const parsed: unknown = JSON.parse(res.stdout);
  if (!Array.isArray(parsed) || parsed.length !== req.count)
    throw new Error(`probe: unexpected output ${res.stdout.slice(0, 200)}`);
  return parsed as ProbeOutcome[];
}

/** Counts per outcome key: `pod-a@10.1.1.1` for answers, `refused`, `timeout`, `error:CODE`. */
export interface ProbeSummary {
  total: number;
  /** pod label → seen source → count */
  answered: Record<string, Record<string, number>>;
  refused: number;
  timeout: number;
  errors: Record<string, number>;
}

/** Folds probe outcomes into counts. */
export function summarize(outcomes: ProbeOutcome[]): ProbeSummary {
  const s: ProbeSummary = { total: outcomes.length, answered: {}, refused: 0, timeout: 0, errors: {} };
  for (const o of outcomes) {
    if (o.kind === 'answered') {
      const bySrc = (s.answered[o.pod] ??= {});
      bySrc[o.seenSrc] = (bySrc[o.seenSrc] ?? 0) + 1;
    } else if (o.kind === 'refused') s.refused++;
    else if (o.kind === 'timeout') s.timeout++;
    else s.errors[o.code] = (s.errors[o.code] ?? 0) + 1;
  }
  return s;
}
