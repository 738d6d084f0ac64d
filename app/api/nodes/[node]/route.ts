import { nodeCapturesRefusal, viewerErrorResponse } from '@/lib/viewer/viewer';
import { withViewer } from '@/lib/viewer/with-viewer';

export const dynamic = 'force-dynamic';

/** One node's capture record (raw captures verbatim, errors, pods' netns captures). */
export async function GET(req: Request, ctx: { params: Promise<{ node: string }> }) {
  return withViewer(req, async (viewer, s) => {
    const refusal = nodeCapturesRefusal(viewer);
    if (refusal) return viewerErrorResponse(403, refusal);
    const { node } = await ctx.params;
    const n = s.snapshot.nodes.find((x) => x.name === node);
    if (!n) return Response.json({ error: { kind: 'not-found', resource: 'node', message: `unknown node "${node}"` } }, { status: 404 });
    return Response.json({ node: n });
  });
}
