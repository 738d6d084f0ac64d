/**
 * The shape every data route shares: pass the gate (broken snapshot 503, 401/503 for the viewer,
 * 403 for a refusal), run the handler on the snapshot the gate looked up, and turn any failure into
 * a typed error response, never a bare 500. Every 5xx leaves one log line (the route and the
 * message; the response itself never carries a stack or a server path).
 */
import 'server-only';
import { errorResponse, httpStatus, toAppError } from '@/lib/errors';
import type { Served } from '@/lib/server/snapshot/served';
import { gate, type GateNeeds } from './gate';
import type { RequestViewer } from './viewer';

export type { Served };

export async function withViewer(
  request: Request,
  handle: (viewer: RequestViewer, s: Served) => Response | Promise<Response>,
  needs?: GateNeeds,
): Promise<Response> {
  try {
    const g = await gate(request.headers, needs);
    if (!g.ok) {
      if (httpStatus(g.error) >= 500)
        console.error(
          `kubepath: ${httpStatus(g.error)} ${request.method} ${new URL(request.url).pathname}: ${g.error.message}`,
        );
      return errorResponse(g.error);
    }
    const res = await handle(g.viewer, g.served);
    if (res.status >= 500) console.error(`kubepath: ${res.status} ${request.method} ${new URL(request.url).pathname}`);
    return res;
  } catch (e) {
    const error = toAppError(e);
    const status = httpStatus(error);
    if (status >= 500)
      console.error(`kubepath: ${status} ${request.method} ${new URL(request.url).pathname}: ${error.message}`);
    return errorResponse(error);
  }
}
