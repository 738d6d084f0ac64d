/**
 * The trace question as it travels in a URL (`/trace?node=…&src=…&dst=…&port=…&proto=…`) and to
 * `GET /api/trace`. zod validates shape; lib/server/trace/resolve-question.ts resolves names against the
 * snapshot. The same schema serves the page and the API, so both reject the same things.
 *
 * Parsing is strict because the page and the API once read the same URL differently (the API took
 * the last of two `port=` values, the page the first): a parameter given twice is refused, a port is
 * a plain decimal integer, an address carries no zone id, and src and dst are of one family.
 */
import { z } from 'zod';
import { parseIp, type IpFamily } from '@/lib/net/ip';

/**
 * Names given more than once, attached by `queryFromParams` to the record it returns. A symbol, not a
 * key: the record is also the form's value and the prefetch query, and must stay `{ name: value }`.
 */
const REPEATED: unique symbol = Symbol('kubepath.repeated-params');
type QueryRecord = Record<string, string> & { [REPEATED]?: string[] };

/** An address in a traced packet: IPv4 dotted quad or IPv6, without a zone id (`%eth0` names a link, not a packet field). */
export function strictIp(s: string): { family: IpFamily } | { error: string } {
  if (s.includes('%')) return { error: 'a zone id (%…) does not apply to a traced address' };
  const p = parseIp(s);
  return p ? { family: p.family } : { error: 'not an IP address' };
}

const ip = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    const r = strictIp(s);
    if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error });
  });

const SOURCE_HELP = 'source must be an IP address, pod:<namespace>/<name> or node:<name>';
/** `src` is an IP, `pod:<namespace>/<name>` or `node:<name>`. */
const source = z
  .string()
  .trim()
  .min(1, 'source is required')
  .superRefine((s, ctx) => {
    if (/^pod:[^/\s]+\/[^/\s]+$/.test(s) || /^node:\S+$/.test(s)) return;
    const r = strictIp(s);
    if ('error' in r) ctx.addIssue({ code: 'custom', message: s.includes('%') ? r.error : SOURCE_HELP });
  });

/** A port as people write it: 1-65535 in decimal digits (no `0x2382`, `9.09e3`, `+80` or ` 80`). */
export const portField = z
  .string({ message: 'port is required' })
  .regex(/^[0-9]{1,5}$/, 'port must be a decimal integer 1-65535')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, 'port must be 1-65535');

export const protoField = z.enum(['tcp', 'udp', 'sctp'], { message: 'proto must be tcp, udp or sctp' });

/** Refuses every parameter `queryFromParams` saw more than once, before any field is read. */
export function once<T extends z.ZodType>(schema: T) {
  return z
    .unknown()
    .superRefine((v, ctx) => {
      for (const name of (v as QueryRecord | undefined)?.[REPEATED] ?? []) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} is given more than once; give it once` });
      }
    })
    .pipe(schema);
}

const TraceFields = z
  .object({
    node: z.string().trim().min(1, 'node is required').optional(),
    src: source,
    dst: ip,
    port: portField,
    proto: protoField.default('tcp'),
    /** A second node to trace the same packet on, side by side. */
    compare: z.string().trim().min(1).optional(),
  })
  .superRefine((q, ctx) => {
    // pod:/node: sources are resolved to an address later; an address given here must match dst's family.
    const s = strictIp(q.src),
      d = strictIp(q.dst);
    if ('family' in s && 'family' in d && s.family !== d.family) {
      ctx.addIssue({
        code: 'custom',
        path: ['dst'],
        message: `src is IPv${s.family} and dst is IPv${d.family}: a packet has one address family`,
      });
    }
  });

export const TraceQuerySchema = once(TraceFields);

export type TraceQuery = z.infer<typeof TraceFields>;

/**
 * Reads a query from URLSearchParams (or Next's searchParams object); empty strings count as absent.
 * A name given more than once keeps its first value here (for redrawing the form) and is recorded, so
 * the schemas above refuse the question whichever way it arrived.
 */
export function queryFromParams(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: QueryRecord = {};
  const count = new Map<string, number>();
  const entries: [string, string | undefined][] =
    params instanceof URLSearchParams
      ? [...params.entries()]
      : Object.entries(params).flatMap(([k, v]) =>
          Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string | undefined]],
        );
  for (const [k, val] of entries) {
    count.set(k, (count.get(k) ?? 0) + 1);
    if (val !== undefined && val !== '' && !(k in out)) out[k] = val;
  }
  const repeated = [...count].filter(([, n]) => n > 1).map(([k]) => k);
  if (repeated.length) Object.defineProperty(out, REPEATED, { value: repeated, enumerable: false });
  return out;
}

export function zodIssues(err: z.ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message }));
}

/** Builds the shareable URL query for a question. */
export function traceHref(q: Partial<TraceQuery>): string {
  const p = new URLSearchParams();
  for (const k of ['node', 'src', 'dst', 'port', 'proto', 'compare'] as const)
    if (q[k] !== undefined && q[k] !== '') p.set(k, String(q[k]));
  return `/trace?${p.toString()}`;
}
