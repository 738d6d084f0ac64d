import { visibleIn } from '@/lib/viewer/viewer';
import { withViewer } from '@/lib/viewer/with-viewer';

export const dynamic = 'force-dynamic';

/** The Service list (summaries) of the served snapshot, limited to the namespaces the viewer may see. */
export async function GET(request: Request) {
  return withViewer(request, (viewer, s) => Response.json({ services: visibleIn(s.services(), viewer) }));
}
