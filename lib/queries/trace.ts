/** The trace query: the shareable URL query string is the key, so the same question is cached once. */
import { queryOptions } from '@tanstack/react-query';
import { getJson, TraceResponseSchema, type TraceResponse } from '@/lib/wire/trace';
import { qk } from './keys';

export const traceOptions = (query: string) =>
  queryOptions({
    queryKey: qk.trace(query),
    queryFn: ({ signal }) => getJson<TraceResponse>(`/api/trace?${query}`, TraceResponseSchema, { signal }),
    // A snapshot does not change under the console's feet: the same question has the same answer.
    staleTime: Infinity,
    retry: false,
  });
