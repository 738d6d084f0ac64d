'use client';
import { useMemo } from 'react';
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { dnsOptions } from '@/lib/queries/dns';
import { ApiError } from '@/lib/wire/trace';
import type { NodeTrace } from '@/lib/wire/dns';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { DnsGraph } from './DnsGraph';
import { DnsFindings } from './DnsFindings';
import { DnsQueryList } from './DnsQueryList';
import { DnsAnswers } from './DnsAnswers';

/** Fetches the explanation for the question in the URL: resolv.conf, graph with findings beside it, queries, answer. */
export function DnsView({ query }: { query: string }) {
  const q = useQuery(dnsOptions(query));
  const data = q.data;
  const graphInput = useMemo(
    () =>
      data && {
        podLabel: `pod ${data.question.pod}${data.question.podIp ? `\n${data.question.podIp}` : ''}${data.question.node ? ` on ${data.question.node}` : ''}`,
        resolvSource: data.resolv.source,
        explanation: data.explanation,
        pods: data.pods,
      },
    [data],
  );
  if (q.isPending)
    return (
      <p role="status" className="card">
        Resolving the name as the pod&apos;s resolver would…
      </p>
    );
  if (q.isError) {
    const e = q.error instanceof ApiError ? q.error.appError : { kind: 'internal', message: q.error.message };
    return <ErrorBox error={e} title={e.kind === 'invalid-request' ? 'This name cannot be resolved' : undefined} />;
  }
  const { question, resolv, explanation: e } = q.data;
  return (
    <>
      <p data-testid="dns-question">
        <strong>{question.name}</strong> from pod <strong>{question.pod}</strong>
        {question.podIp ? ` (${question.podIp}` : ''}
        {question.node ? ` on ${question.node})` : question.podIp ? ')' : ''} with the {question.resolver} resolver
      </p>
      <section className="card" aria-label="pod resolv.conf" data-resolv-source={resolv.source}>
        <h2>
          /etc/resolv.conf{' '}
          <span className={`badge ${resolv.source === 'derived' ? 'warn' : 'ok'}`}>{resolv.source}</span>
        </h2>
        <p className={resolv.source === 'derived' ? 'badge warn' : 'muted'} data-testid="resolv-note">
          {resolv.source === 'derived' ? 'Not captured from the pod — ' : ''}
          {resolv.note}
        </p>
        <pre>{resolv.text}</pre>
      </section>
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'minmax(0, 3fr) minmax(280px, 1fr)',
          gap: '.8rem',
          alignItems: 'start',
        }}
      >
        <DnsGraph input={graphInput!} />
        <DnsFindings findings={e.findings} notes={q.data.notes} />
      </div>
      <DnsAnswers status={e.status} answers={q.data.answers} podIp={question.podIp} />
      <DnsQueryList e={e} />
      <section className="card" aria-label="nameserver packet path">
        <h2>Path of the DNS packet to each nameserver</h2>
        <ul>
          {e.nameserverPaths.map((p) => {
            const t = p.trace as NodeTrace | undefined;
            return (
              <li key={p.ip} data-nameserver={p.ip}>
                <code>
                  {question.podIp} → {p.ip}:{p.port}/{p.proto}
                </code>{' '}
                ({p.kind}) on {t?.node || 'the pod’s node'}:{' '}
                {t?.error ? (
                  <span className="badge bad">{t.error.message}</span>
                ) : (
                  (t?.result?.outcomes ?? []).map((o, i) => (
                    <span
                      key={i}
                      className={`badge ${o.verdict === 'dnat' ? 'ok' : o.verdict === 'accept' ? '' : 'bad'}`}
                    >
                      {o.verdict.toUpperCase()}
                      {o.to ? ` ${o.to}` : ''} {Math.round(o.probability * 1000) / 10}%
                    </span>
                  ))
                )}
                {question.podIp && t?.node && (
                  <>
                    {' '}
                    <Link
                      href={`/trace?${new URLSearchParams({ src: `pod:${question.pod}`, dst: p.ip, port: String(p.port), proto: p.proto })}`}
                    >
                      full trace
                    </Link>
                  </>
                )}
              </li>
            );
          })}
        </ul>
        <h3>kube-dns endpoints in the EndpointSlices ({q.data.coreDns.length})</h3>
        {q.data.coreDns.length === 0 ? (
          <p className="badge bad">none: the kube-dns Service has no endpoints (or is not in the snapshot)</p>
        ) : (
          <ul aria-label="kube-dns endpoints">
            {q.data.coreDns.map((c) => (
              <li key={c.ip}>
                <code>{c.ip}</code> {c.pod ? `pod ${c.pod}` : ''}
                {c.node ? ` on ${c.node}` : ''}{' '}
                <span className={`badge ${c.ready ? 'ok' : 'bad'}`}>{c.ready ? 'ready' : 'not ready'}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
