import { withViewer } from '@/lib/viewer/with-viewer';
import { errorResponse } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** One node's capture record (raw captures verbatim, errors, pods' netns captures); needs all-namespace access. */
export async function GET(req: Request, ctx: { params: Promise<{ node: string }> }) {
  return withViewer(
    req,
    async (_viewer, s) => {
      const { node } = await ctx.params;
      const n = s.snapshot.nodes.find((x) => x.name === node);
      if (!n) return errorResponse({ kind: 'not-found', resource: 'node', message: `unknown node "${node}"` });
      return Response.json({ node: n });
    },
    { nodeCaptures: true },
  );
}
