import { served } from '@/lib/api/served';
import { httpStatus, toAppError } from '@/lib/api/errors';
import { resolveViewer, viewerErrorResponse, visibleIn } from '@/lib/api/viewer';

export const dynamic = 'force-dynamic';

/** The Service list (summaries) of the served snapshot, limited to the namespaces the viewer may see. */
export async function GET(request: Request) {
  try {
    const s = served();
    const v = await resolveViewer(request.headers, s.snapshot);
    if (!v.ok) return viewerErrorResponse(v.status, v.reason);
    return Response.json({ services: visibleIn(s.services(), v.viewer) });
  } catch (e) {
    const error = toAppError(e);
    return Response.json({ error }, { status: httpStatus(error) });
  }
}
