import { HydrationBoundary, QueryClient, dehydrate } from '@tanstack/react-query';
import { handleTrace } from '@/lib/server/trace/trace-handler';
import { tracesRefusal, type RequestViewer } from '@/lib/viewer/viewer';
import type { Served } from '@/lib/viewer/with-viewer';
import type { TraceResponse } from '@/lib/wire/trace';
import { traceOptions } from '@/lib/queries/trace';
import { TraceView } from '@/components/trace/TraceView';

/**
 * Computes the trace while the page renders and hands it to the client's query cache, so the graph
 * is drawn on hydration instead of after a second round trip to /api/trace. Only an answer the
 * viewer may see is seeded, through the same handler and refusal check as the API route; a refusal
 * or an error is left to the client's fetch, which shows it exactly as before.
 */
export function TracePrefetch({ query, viewer, served }: { query: string; viewer: RequestViewer; served: Served }) {
  const qc = new QueryClient();
  const { status, body } = handleTrace(new URLSearchParams(query));
  if (status === 200 && !tracesRefusal((body as TraceResponse).traces, viewer, served.snapshot)) {
    qc.setQueryData(traceOptions(query).queryKey, body as TraceResponse);
  }
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <TraceView query={query} />
    </HydrationBoundary>
  );
}
