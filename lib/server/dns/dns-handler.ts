/**
 * GET /api/dns: query string → zod → pod resolved against the snapshot → explainDnsLookup with the
 * nameserver packet traced through the pod's node's real rules (src = pod IP). A bad question is a
 * 4xx with the reason; an uncollected node only loses the nameserver trace (shown as its error).
 */
import 'server-only';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { PodModel } from '@/lib/model/k8s';
import { explainDnsLookup, DnsInputError } from '@/lib/dns/explain';
import { served, type Served } from '../snapshot/served';
import { httpStatus, toAppError, type AppError } from '../../errors';
import { queryFromParams, traceHref, zodIssues } from '../../wire/trace-request';
import { DnsQuerySchema, type DnsQuestion } from '../../wire/dns-request';
import { podDnsInputs } from './dns-inputs';
import { traceOn, type NodeTrace } from '../trace/engine';
import type { CoreDnsEndpoint, DnsAnswerLink, DnsResponse } from '../../wire/dns';
import type { PodRef } from '@/lib/model/graph';

export interface DnsHandlerResult {
  status: number;
  body: DnsResponse | { error: AppError };
}

function kubeDnsEndpoints(snap: ClusterSnapshot): CoreDnsEndpoint[] {
  const api = snap.api;
  const svc = api?.services.find(
    (s) => s.namespace === 'kube-system' && (s.name === 'kube-dns' || s.labels?.['k8s-app'] === 'kube-dns'),
  );
  if (!api || !svc) return [];
  return api.endpointSlices
    .filter((es) => es.namespace === svc.namespace && es.service === svc.name)
    .flatMap((es) =>
      es.endpoints.flatMap((e) =>
        e.addresses.map((ip) => ({
          ip,
          ready: e.ready,
          node: e.nodeName,
          pod: e.targetRef?.kind === 'Pod' ? `${e.targetRef.namespace ?? es.namespace}/${e.targetRef.name}` : undefined,
        })),
      ),
    );
}

/** Each returned address, with a one-click trace link when it is a Service ClusterIP. */
export function answerLinks(
  snap: ClusterSnapshot,
  pod: PodModel,
  addresses: string[],
  q: Pick<DnsQuestion, 'port' | 'proto'>,
): DnsAnswerLink[] {
  return addresses.map((address) => {
    const svc = snap.api?.services.find((s) => s.type !== 'ExternalName' && s.clusterIPs.includes(address));
    if (!svc) return { address, why: 'not a Service ClusterIP' };
    const first = svc.ports[0];
    const port = q.port ?? first?.port;
    const proto = q.proto ?? (first?.protocol.toLowerCase() as DnsAnswerLink['proto']);
    const base = { address, service: `${svc.namespace}/${svc.name}`, port, proto };
    if (!port) return { ...base, why: 'the Service has no port; give one with port=' };
    if (!pod.podIPs[0] || !pod.nodeName) return { ...base, why: 'the pod has no IP or node to trace from' };
    // The pod itself, not its address on a chosen node: the trace page names the pod and the pod decides the node.
    return { ...base, traceHref: traceHref({ src: `pod:${pod.namespace}/${pod.name}`, dst: address, port, proto }) };
  });
}

/** Validates the question once: the parsed question, or the 400 answer naming each bad field. */
export function parseDnsQuestion(
  params: URLSearchParams,
): { ok: true; question: DnsQuestion } | { ok: false; result: DnsHandlerResult } {
  const parsed = DnsQuerySchema.safeParse(queryFromParams(params));
  if (parsed.success) return { ok: true, question: parsed.data };
  const issues = zodIssues(parsed.error);
  return {
    ok: false,
    result: {
      status: 400,
      body: {
        error: { kind: 'invalid-request', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues },
      },
    },
  };
}

/** GET /api/dns: the question from the query string, answered on `s` (default: the served snapshot). */
export function handleDns(params: URLSearchParams, s?: Served): DnsHandlerResult {
  const parsed = parseDnsQuestion(params);
  if (!parsed.ok) return parsed.result;
  try {
    return answerDns(s ?? served(), parsed.question);
  } catch (e) {
    const err = toAppError(e);
    return { status: httpStatus(err), body: { error: err } };
  }
}

/** A validated DNS question answered on the snapshot the request's gate looked up. */
export function answerDns(s: Served, q: DnsQuestion): DnsHandlerResult {
  try {
    const { pod, resolv, notes, input } = podDnsInputs(s.snapshot, q.pod);
    const src = pod.podIPs[0];
    const traceNameserver = (ip: string, port: number, proto: 'udp' | 'tcp'): NodeTrace => {
      if (!src || !pod.nodeName)
        return {
          node: pod.nodeName ?? '',
          error: {
            kind: 'invalid-request',
            message: `pod ${q.pod} has no IP or node, so its DNS packet cannot be traced`,
            issues: [],
          },
        };
      return traceOn(s.snapshot, s.version, pod.nodeName, { src, dst: ip, port, proto });
    };
    const explanation = explainDnsLookup({ ...input, name: q.name, flavor: q.resolver, traceNameserver });
    const all = s.pods();
    const pods: Record<string, PodRef> = {};
    for (const p of explanation.nameserverPaths) {
      for (const o of (p.trace as NodeTrace | undefined)?.result?.outcomes ?? []) {
        const ip = o.to?.startsWith('[') ? o.to.slice(1, o.to.indexOf(']')) : o.to?.slice(0, o.to.lastIndexOf(':'));
        if (ip && all[ip]) pods[ip] = all[ip];
      }
    }
    return {
      status: 200,
      body: {
        question: { pod: q.pod, podIp: src, node: pod.nodeName, name: q.name, resolver: q.resolver },
        resolv,
        notes,
        explanation,
        coreDns: kubeDnsEndpoints(s.snapshot),
        answers: answerLinks(s.snapshot, pod, explanation.addresses, q),
        pods,
      },
    };
  } catch (e) {
    if (e instanceof DnsInputError)
      return { status: 422, body: { error: { kind: 'invalid-request', message: e.message, issues: [] } } };
    const err = toAppError(e);
    return { status: httpStatus(err), body: { error: err } };
  }
}
