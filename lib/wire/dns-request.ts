/**
 * The DNS question as it travels in a URL (`/dns?pod=ns/name&name=cart&resolver=glibc`) and to
 * `GET /api/dns`. One zod schema serves the page and the API, so both reject the same things;
 * lib/server/dns/dns-handler.ts resolves the pod against the snapshot.
 */
import { z } from 'zod';
import { once, portField, protoField } from './trace-request';

/** RFC 1035 text form: at most 253 characters without the root dot, labels of 1-63 octets. */
export const MAX_NAME = 253;

const dnsName = z
  .string({ message: 'name is required' })
  .trim()
  .min(1, 'name is required')
  .refine((s) => s.replace(/\.$/, '').length <= MAX_NAME, { message: `name is longer than ${MAX_NAME} characters` })
  // Letters, digits, hyphen and underscore (SRV-style labels); no empty label; an optional root dot.
  .refine((s) => s.length > MAX_NAME + 1 || /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(s), {
    message: 'name must be dot-separated labels of letters, digits, "-" or "_" (no spaces, no empty label)',
  })
  .refine(
    (s) =>
      s.length > MAX_NAME + 1 ||
      s
        .replace(/\.$/, '')
        .split('.')
        .every((l) => l.length <= 63),
    { message: 'a label of the name is longer than 63 characters' },
  );

const DnsFields = z.object({
  pod: z
    .string({ message: 'pod is required' })
    .trim()
    .min(1, 'pod is required')
    .regex(/^[^/\s]+\/[^/\s]+$/, 'pod must be <namespace>/<name>'),
  name: dnsName,
  resolver: z.enum(['glibc', 'musl'], { message: 'resolver must be glibc or musl' }).default('glibc'),
  /** Port/protocol the "trace this answer" link uses; default: the answered Service's first port. */
  port: portField.optional(),
  proto: protoField.optional(),
});

/** Strict like the trace question: a parameter given twice is refused, the port is decimal digits. */
export const DnsQuerySchema = once(DnsFields);

export type DnsQuestion = z.infer<typeof DnsFields>;
