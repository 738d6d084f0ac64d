/**
 * The trace question as it travels in a URL (`/trace?node=…&src=…&dst=…&port=…&proto=…`) and to
 * `GET /api/trace`. zod validates shape; lib/server/trace/resolve-question.ts resolves names against the
 * snapshot. The same schema serves the page and the API, so both reject the same things.
 */
import { z } from 'zod';
import { isIPv4, isIPv6 } from '@/lib/net/ip';

const ip = z.string().trim().refine((s) => isIPv4(s) || isIPv6(s), { message: 'not an IP address' });

/** `src` is an IP, `pod:<namespace>/<name>` or `node:<name>`. */
const source = z.string().trim().min(1, 'source is required').refine(
  (s) => /^pod:[^/\s]+\/[^/\s]+$/.test(s) || /^node:\S+$/.test(s) || isIPv4(s) || isIPv6(s),
  { message: 'source must be an IP address, pod:<namespace>/<name> or node:<name>' },
);

export const TraceQuerySchema = z.object({
  node: z.string().trim().min(1, 'node is required').optional(),
  src: source,
  dst: ip,
  port: z.coerce.number({ message: 'port must be a number' }).int('port must be an integer').min(1, 'port must be 1-65535').max(65535, 'port must be 1-65535'),
  proto: z.enum(['tcp', 'udp', 'sctp'], { message: 'proto must be tcp, udp or sctp' }).default('tcp'),
  /** A second node to trace the same packet on, side by side. */
  compare: z.string().trim().min(1).optional(),
});

export type TraceQuery = z.infer<typeof TraceQuerySchema>;

/** Reads a query from URLSearchParams (or Next's searchParams object); empty strings count as absent. */
export function queryFromParams(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) {
    const val = Array.isArray(v) ? v[0] : v;
    if (val !== undefined && val !== '') out[k] = val;
  }
  return out;
}

export function zodIssues(err: z.ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message }));
}

/** Builds the shareable URL query for a question. */
export function traceHref(q: Partial<TraceQuery>): string {
  const p = new URLSearchParams();
  for (const k of ['node', 'src', 'dst', 'port', 'proto', 'compare'] as const) if (q[k] !== undefined && q[k] !== '') p.set(k, String(q[k]));
  return `/trace?${p.toString()}`;
}
