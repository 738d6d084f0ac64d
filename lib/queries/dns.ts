/** The DNS query: the shareable `/dns` URL query string is the key, so the same question is cached once. */
import { queryOptions } from '@tanstack/react-query';
import { getJson } from '@/lib/wire/trace';
import { DnsResponseSchema, type DnsResponse } from '@/lib/wire/dns';

export const dnsKey = (query: string) => ['dns', query] as const;

export const dnsOptions = (query: string) =>
  queryOptions({
    queryKey: dnsKey(query),
    queryFn: ({ signal }) => getJson<DnsResponse>(`/api/dns?${query}`, DnsResponseSchema, { signal }),
    // A snapshot does not change under the console's feet: the same question has the same answer.
    staleTime: Infinity,
    retry: false,
  });
