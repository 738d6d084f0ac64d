/**
 * The shape every data route shares: pass the gate (broken snapshot 503, 401/503 for the viewer,
 * 403 for a refusal), run the handler on the snapshot the gate looked up, and turn any failure into
 * a typed error response, never a bare 500.
 */
import 'server-only';
import { errorResponse, toAppError } from '@/lib/errors';
import type { Served } from '@/lib/server/snapshot/served';
import { gate, type GateNeeds } from './gate';
import type { RequestViewer } from './viewer';

export type { Served };

export async function withViewer(request: Request, handle: (viewer: RequestViewer, s: Served) => Response | Promise<Response>, needs?: GateNeeds): Promise<Response> {
  try {
    const g = await gate(request.headers, needs);
    if (!g.ok) return errorResponse(g.error);
    return await handle(g.viewer, g.served);
  } catch (e) {
    return errorResponse(toAppError(e));
  }
}
