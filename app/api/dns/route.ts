import { handleDns } from '@/lib/api/dns-handler';
import { served } from '@/lib/api/served';
import { httpStatus, toAppError } from '@/lib/api/errors';
import { resolveViewer, viewerErrorResponse } from '@/lib/api/viewer';
import { dnsRefusal } from '@/lib/api/dns-viewer';
import type { DnsResponse } from '@/lib/api/dns-wire';

export const dynamic = 'force-dynamic';

/** GET only (kiosk mode allows GET/HEAD): the question is in the query string. */
export async function GET(request: Request) {
  let v: Awaited<ReturnType<typeof resolveViewer>>;
  try {
    v = await resolveViewer(request.headers, served().snapshot);
  } catch (e) {
    const error = toAppError(e);
    return Response.json({ error }, { status: httpStatus(error) });
  }
  if (!v.ok) return viewerErrorResponse(v.status, v.reason);
  const { status, body } = handleDns(new URL(request.url).searchParams);
  const refusal = status === 200 ? dnsRefusal(body as DnsResponse, v.viewer, served().snapshot) : undefined;
  if (refusal) return viewerErrorResponse(403, refusal);
  return Response.json(body, { status });
}
