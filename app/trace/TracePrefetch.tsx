import { HydrationBoundary, QueryClient, dehydrate } from '@tanstack/react-query';
import type { TraceResponse } from '@/lib/wire/trace';
import { traceOptions } from '@/lib/queries/trace';
import { TraceView } from '@/components/trace/TraceView';

/**
 * Hands the answer computed while the page rendered to the client's query cache, so the graph is
 * drawn on hydration instead of after a second round trip to /api/trace. The page seeds only an
 * answer the viewer may see (same handler and refusal check as the API route); a refusal or an
 * error is left to the client's fetch, which shows it exactly as before.
 */
export function TracePrefetch({ query, seeded }: { query: string; seeded?: TraceResponse }) {
  const qc = new QueryClient();
  if (seeded) qc.setQueryData(traceOptions(query).queryKey, seeded);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <TraceView query={query} />
    </HydrationBoundary>
  );
}
