/**
 * Wire shape of `GET /api/dns`, validated on the client with zod (only the parts the UI reads are
 * checked strictly; the rest passes through), like lib/wire/trace.ts does for traces.
 */
import { z } from 'zod';
import type { DnsExplanation, PodResolv, ResolverFlavor } from '@/lib/model/dns';
import type { NodeTrace } from '../server/trace/engine';
import type { PodRef } from '@/lib/model/graph';

/** An address the lookup returned, and how to follow it into the packet trace. */
export interface DnsAnswerLink {
  address: string;
  /** `ns/name` of the Service whose ClusterIP this is. */
  service?: string;
  port?: number;
  proto?: 'tcp' | 'udp' | 'sctp';
  /** `/trace?src=pod:<ns>/<name>&dst=<address>&…` (the pod decides the node); absent with `why` when it cannot be traced. */
  traceHref?: string;
  why?: string;
}

/** A kube-dns endpoint (a CoreDNS pod) as the EndpointSlices list it. */
export interface CoreDnsEndpoint {
  ip: string;
  pod?: string;
  node?: string;
  ready: boolean;
}

export interface DnsResponse {
  question: { pod: string; podIp?: string; node?: string; name: string; resolver: ResolverFlavor };
  resolv: PodResolv;
  notes: string[];
  /** The model's explanation; each `nameserverPaths[].trace` is a NodeTrace from the pod's node. */
  explanation: DnsExplanation;
  coreDns: CoreDnsEndpoint[];
  answers: DnsAnswerLink[];
  /** Pod IP → pod, for naming trace outcomes (CoreDNS pods). */
  pods: Record<string, PodRef>;
}

const QuerySchema = z.looseObject({
  name: z.string(),
  type: z.enum(['A', 'AAAA']),
  rcode: z.string(),
  via: z.string(),
  nameserver: z.string(),
  candidate: z.number(),
  detail: z.string(),
  answers: z.array(z.looseObject({ type: z.string(), data: z.string() })),
});
const StepSchema = z.looseObject({
  candidate: z.looseObject({ fqdn: z.string(), reason: z.string() }),
  outcome: z.string(),
  decision: z.string(),
  why: z.string(),
  queries: z.array(QuerySchema),
});

export const DnsResponseSchema = z.object({
  question: z.looseObject({ pod: z.string(), name: z.string(), resolver: z.enum(['glibc', 'musl']) }),
  resolv: z.object({ source: z.enum(['captured', 'derived']), text: z.string(), note: z.string() }),
  notes: z.array(z.string()),
  explanation: z.looseObject({
    status: z.string(),
    addresses: z.array(z.string()),
    queries: z.array(QuerySchema),
    steps: z.array(StepSchema),
    transport: z.string(),
    findings: z.array(
      z.looseObject({ id: z.string(), severity: z.enum(['info', 'warning', 'error']), message: z.string() }),
    ),
    nameserverPaths: z.array(z.looseObject({ ip: z.string(), port: z.number(), proto: z.string(), kind: z.string() })),
    config: z.looseObject({ nameservers: z.array(z.string()), search: z.array(z.string()) }),
  }),
  coreDns: z.array(z.looseObject({ ip: z.string(), ready: z.boolean() })),
  answers: z.array(z.looseObject({ address: z.string() })),
  pods: z.record(z.string(), z.looseObject({ namespace: z.string(), name: z.string() })),
});

export type { NodeTrace };
