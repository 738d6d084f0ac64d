/**
 * The one gate in front of every server page and data route: the served snapshot must load (the
 * strict loader: schema + every capture's sha256) and the viewer must be resolved. Each failure is a
 * typed AppError with its own status: a broken snapshot 503, no or a rejected token 401, an API that
 * cannot check access 503, a refusal 403. The snapshot is looked up once here and handed down.
 */
import 'server-only';
import { served, type Served } from '@/lib/server/snapshot/served';
import { toAppError, type AppError } from '@/lib/errors';
import { nodeCapturesRefusal, resolveViewer, type HeaderSource, type RequestViewer } from './viewer';

export type Gate = { ok: true; viewer: RequestViewer; served: Served } | { ok: false; error: AppError };

export interface GateNeeds {
  /** The page or route shows a node's raw captures (every namespace's rules). */
  nodeCaptures?: boolean;
}

export async function gate(headers: HeaderSource, needs: GateNeeds = {}): Promise<Gate> {
  let s: Served;
  try {
    s = served();
  } catch (e) {
    return { ok: false, error: toAppError(e) };
  }
  const v = await resolveViewer(headers, s.snapshot);
  if (!v.ok)
    return {
      ok: false,
      error:
        v.status === 401 ? { kind: 'unauthenticated', message: v.reason } : { kind: 'unavailable', message: v.reason },
    };
  const refusal = needs.nodeCaptures ? nodeCapturesRefusal(v.viewer) : undefined;
  if (refusal) return { ok: false, error: { kind: 'forbidden', message: refusal } };
  return { ok: true, viewer: v.viewer, served: s };
}
