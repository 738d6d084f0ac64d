import { handleDns } from '@/lib/server/dns/dns-handler';
import { viewerErrorResponse } from '@/lib/viewer/viewer';
import { withViewer } from '@/lib/viewer/with-viewer';
import { dnsRefusal } from '@/lib/server/dns/dns-viewer';
import type { DnsResponse } from '@/lib/wire/dns';

export const dynamic = 'force-dynamic';

/** GET only (kiosk mode allows GET/HEAD): the question is in the query string. */
export async function GET(request: Request) {
  return withViewer(request, (viewer, s) => {
    const { status, body } = handleDns(new URL(request.url).searchParams);
    const refusal = status === 200 ? dnsRefusal(body as DnsResponse, viewer, s.snapshot) : undefined;
    if (refusal) return viewerErrorResponse(403, refusal);
    return Response.json(body, { status });
  });
}
