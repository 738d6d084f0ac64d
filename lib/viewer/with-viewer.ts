/**
 * The shape every data route shares: resolve the viewer (401/503 with the reason), run the handler,
 * and turn any failure into a typed error response, never a bare 500.
 */
import { served } from '@/lib/server/snapshot/served';
import { httpStatus, toAppError } from '@/lib/errors';
import { resolveViewer, viewerErrorResponse, type RequestViewer } from '@/lib/viewer/viewer';

export type Served = ReturnType<typeof served>;

export async function withViewer(request: Request, handle: (viewer: RequestViewer, s: Served) => Response | Promise<Response>): Promise<Response> {
  try {
    const s = served();
    const v = await resolveViewer(request.headers, s.snapshot);
    if (!v.ok) return viewerErrorResponse(v.status, v.reason);
    return await handle(v.viewer, s);
  } catch (e) {
    const error = toAppError(e);
    return Response.json({ error }, { status: httpStatus(error) });
  }
}
