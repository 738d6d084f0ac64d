'use client';
import { useMemo } from 'react';
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { traceOptions } from '@/lib/queries/trace';
import { ApiError, type TraceResponse } from '@/lib/wire/trace';
import { compareTraces } from '@/lib/graph/compare-traces';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { TraceGraph } from '@/components/graph/TraceGraph';
import { loadGraphCanvas } from '@/components/graph/GraphCanvas';
import { CompareDiff } from './CompareDiff';

// Start loading the graph code with this module rather than when the first graph renders: on a
// hydrated trace page the data is already here, so the cytoscape chunk would otherwise be the wait.
if (typeof window !== 'undefined') void loadGraphCanvas();

/** Shown while the packet is traced (on the server during the page render, or by the client's fetch). */
function TracingStatus() {
  return (
    <p role="status" className="card">
      Tracing the packet through the node&apos;s rules…
    </p>
  );
}

function Diff({ data }: { data: TraceResponse }) {
  const { traces, question, pods } = data;
  const diff = useMemo(() => {
    const [a, b] = traces;
    return question.compare && traces.length === 2 && a.result && b.result
      ? compareTraces({ node: a.node, result: a.result }, { node: b.node, result: b.result })
      : undefined;
  }, [traces, question.compare]);
  return diff ? <CompareDiff diff={diff} pods={pods} /> : null;
}

/** Fetches the answer for the question in the URL and shows one panel per node traced (side by side). */
export function TraceView({ query }: { query: string }) {
  const q = useQuery(traceOptions(query));
  if (q.isPending) return <TracingStatus />;
  if (q.isError) {
    const e = q.error instanceof ApiError ? q.error.appError : { kind: 'internal', message: q.error.message };
    return <ErrorBox error={e} />;
  }
  const { question, traces, pods } = q.data;
  return (
    <>
      <p data-testid="question">
        {question.sourceLabel} →{' '}
        <code>
          {question.packet.dst}:{question.packet.port}/{question.packet.proto}
        </code>{' '}
        on{' '}
        {question.nodes.length > 1 ? (
          <>
            every node that answers it: <strong>{question.nodes.join(', ')}</strong>
          </>
        ) : (
          <>
            node <strong>{question.node}</strong>
          </>
        )}
        {question.compare ? (
          <>
            {' '}
            compared with <strong>{question.compare}</strong>
          </>
        ) : null}
        <span className="muted" data-testid="node-reason">
          {' '}
          — {question.nodeReason}
        </span>
        {question.sourcePod && (
          <>
            {' '}
            ·{' '}
            <Link href={`/services?from=${encodeURIComponent(question.sourcePod)}`}>
              trace another Service from this pod
            </Link>
          </>
        )}
      </p>
      <Diff data={q.data} />
      <div className={traces.length > 1 ? 'graph-pair' : undefined}>
        {traces.map((t) =>
          t.result ? (
            <TraceGraph
              key={t.node}
              node={t.node}
              result={t.result}
              pods={pods}
              sourceLabel={question.sourceLabel}
              vertical={traces.length > 1}
              whatIf={t.whatIf}
              sourceNode={question.sourceNode}
            />
          ) : (
            <section key={t.node} className="card" aria-label={`trace on ${t.node}`}>
              <h2>Node {t.node}</h2>
              <ErrorBox error={t.error ?? { kind: 'internal', message: 'no result' }} />
            </section>
          ),
        )}
      </div>
    </>
  );
}
