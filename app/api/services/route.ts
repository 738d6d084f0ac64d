import { served } from '@/lib/api/served';
import { httpStatus, toAppError } from '@/lib/api/errors';

export const dynamic = 'force-dynamic';

/** The Service list (summaries) of the served snapshot. */
export function GET() {
  try {
    return Response.json({ services: served().services() });
  } catch (e) {
    const error = toAppError(e);
    return Response.json({ error }, { status: httpStatus(error) });
  }
}
