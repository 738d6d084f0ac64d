import { handleReport } from '@/lib/server/report/report-handler';
import { withViewer } from '@/lib/viewer/with-viewer';

export const dynamic = 'force-dynamic';
// PDF export launches Chromium: Node runtime only.
export const runtime = 'nodejs';

/** GET /api/report?<trace or DNS question>&format=html|md|json|pdf → the incident report as a download. */
export async function GET(request: Request) {
  return withViewer(request, async (viewer, s) => {
    const r = await handleReport(new URL(request.url).searchParams, viewer, undefined, s);
    if (!('body' in r))
      return Response.json(
        { error: r.error },
        { status: r.status, headers: r.retryAfter ? { 'Retry-After': String(r.retryAfter) } : {} },
      );
    return new Response(new Uint8Array(r.body), {
      status: 200,
      headers: {
        'Content-Type': r.contentType,
        'Content-Disposition': `attachment; filename="${r.filename}"`,
        'Content-Length': String(r.body.length),
        'Cache-Control': 'no-store',
        // PDF: time spent waiting for a render slot and rendering (0/0 when served from the cache).
        ...(r.timing ? { 'Server-Timing': `queue;dur=${r.timing.queuedMs}, render;dur=${r.timing.renderMs}` } : {}),
      },
    });
  });
}
