import { served } from '@/lib/api/served';
import { httpStatus, toAppError } from '@/lib/api/errors';
import { nodeCapturesRefusal, resolveViewer, viewerErrorResponse } from '@/lib/api/viewer';

export const dynamic = 'force-dynamic';

/** One node's capture record (raw captures verbatim, errors, pods' netns captures). */
export async function GET(req: Request, ctx: { params: Promise<{ node: string }> }) {
  try {
    const v = await resolveViewer(req.headers, served().snapshot);
    if (!v.ok) return viewerErrorResponse(v.status, v.reason);
    const refusal = nodeCapturesRefusal(v.viewer);
    if (refusal) return viewerErrorResponse(403, refusal);
    const { node } = await ctx.params;
    const n = served().snapshot.nodes.find((x) => x.name === node);
    if (!n) return Response.json({ error: { kind: 'not-found', resource: 'node', message: `unknown node "${node}"` } }, { status: 404 });
    return Response.json({ node: n });
  } catch (e) {
    const error = toAppError(e);
    return Response.json({ error }, { status: httpStatus(error) });
  }
}
