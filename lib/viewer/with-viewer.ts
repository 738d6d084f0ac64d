/**
 * The shape every data route shares: resolve the viewer (401/503 with the reason), run the handler,
 * and turn any failure into a typed error response, never a bare 500. Every 5xx leaves one log line
 * (the route and the message; the response itself never carries a stack or a server path).
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
    const res = await handle(v.viewer, s);
    if (res.status >= 500) console.error(`kubepath: ${res.status} ${request.method} ${new URL(request.url).pathname}`);
    return res;
  } catch (e) {
    const error = toAppError(e);
    const status = httpStatus(error);
    if (status >= 500) console.error(`kubepath: ${status} ${request.method} ${new URL(request.url).pathname}: ${error.message}`);
    return Response.json({ error }, { status });
  }
}
