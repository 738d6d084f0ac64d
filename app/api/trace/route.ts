import { handleTrace } from '@/lib/server/trace/trace-handler';
import { tracesRefusal } from '@/lib/viewer/viewer';
import { errorResponse } from '@/lib/errors';
import { withViewer } from '@/lib/viewer/with-viewer';
import type { TraceResponse } from '@/lib/wire/trace';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  return withViewer(request, (viewer, s) => {
    const { status, body } = handleTrace(new URL(request.url).searchParams);
    // A path through a namespace the viewer may not see is refused whole: a partial path would mislead.
    const refusal = status === 200 ? tracesRefusal((body as TraceResponse).traces, viewer, s.snapshot) : undefined;
    if (refusal) return errorResponse({ kind: 'forbidden', message: refusal });
    return Response.json(body, { status });
  });
}
