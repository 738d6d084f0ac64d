import { answerDns, parseDnsQuestion } from '@/lib/server/dns/dns-handler';
import { dnsRefusal } from '@/lib/server/dns/dns-viewer';
import { withViewer } from '@/lib/viewer/with-viewer';
import { errorResponse } from '@/lib/errors';
import type { DnsResponse } from '@/lib/wire/dns';

export const dynamic = 'force-dynamic';

/** GET only (kiosk mode allows GET/HEAD): the question is in the query string, validated once. */
export async function GET(request: Request) {
  return withViewer(request, (viewer, s) => {
    const parsed = parseDnsQuestion(new URL(request.url).searchParams);
    if (!parsed.ok) return Response.json(parsed.result.body, { status: parsed.result.status });
    const { status, body } = answerDns(s, parsed.question);
    const refusal = status === 200 ? dnsRefusal(body as DnsResponse, viewer, s.snapshot) : undefined;
    if (refusal) return errorResponse({ kind: 'forbidden', message: refusal });
    return Response.json(body, { status });
  });
}
