'use client';
import { useQuery } from '@tanstack/react-query';
import { traceOptions } from '@/lib/queries/trace';
import { ApiError } from '@/lib/wire/trace';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { TraceGraph } from '@/components/graph/TraceGraph';
import { loadGraphCanvas } from '@/components/graph/GraphCanvas';

// Start loading the graph code with this module rather than when the first graph renders: on a
// hydrated trace page the data is already here, so the cytoscape chunk would otherwise be the wait.
if (typeof window !== 'undefined') void loadGraphCanvas();

/** Shown while the packet is traced (on the server during the page render, or by the client's fetch). */
function TracingStatus() {
  return <p role="status" className="card">Tracing the packet through the node&apos;s rules…</p>;
}

/** Fetches the trace for the question in the URL and shows one graph per node (side by side when comparing). */
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
        {question.sourceLabel} → <code>{question.packet.dst}:{question.packet.port}/{question.packet.proto}</code> on node <strong>{question.node}</strong>
        {question.compare ? <> compared with <strong>{question.compare}</strong></> : null}
      </p>
      <div className={traces.length > 1 ? 'graph-pair' : undefined}>
        {traces.map((t) =>
          t.result ? (
            <TraceGraph key={t.node} node={t.node} result={t.result} pods={pods} sourceLabel={question.sourceLabel} vertical={traces.length > 1} />
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
