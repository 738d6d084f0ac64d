import { handleTrace } from '@/lib/api/trace-handler';
import { served } from '@/lib/api/served';
import { httpStatus, toAppError } from '@/lib/api/errors';
import { resolveViewer, tracesRefusal, viewerErrorResponse } from '@/lib/api/viewer';
import type { TraceResponse } from '@/lib/api/wire';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  let v: Awaited<ReturnType<typeof resolveViewer>>;
  try {
    v = await resolveViewer(request.headers, served().snapshot);
  } catch (e) {
    const error = toAppError(e);
    return Response.json({ error }, { status: httpStatus(error) });
  }
  if (!v.ok) return viewerErrorResponse(v.status, v.reason);
  const { status, body } = handleTrace(new URL(request.url).searchParams);
  // A path through a namespace the viewer may not see is refused whole: a partial path would mislead.
  const refusal = status === 200 ? tracesRefusal((body as TraceResponse).traces, v.viewer, served().snapshot) : undefined;
  if (refusal) return viewerErrorResponse(403, refusal);
  return Response.json(body, { status });
}
