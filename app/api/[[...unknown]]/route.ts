/**
 * Any /api path no route serves (and /api itself): a JSON 404 with the reason, like every other API error (Next's
 * default is its HTML not-found page). Specific routes always win over this catch-all.
 */
export const dynamic = 'force-dynamic';

const notFound = () =>
  Response.json(
    {
      error: {
        kind: 'not-found',
        resource: 'route',
        message: 'no such API route (see /api/services, /api/trace, /api/dns, /api/report, /api/nodes/<node>)',
      },
    },
    { status: 404 },
  );

export const GET = notFound;
export const HEAD = notFound;
