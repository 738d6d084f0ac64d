/**
 * Runs before every route (pages, API, assets). Enforces kiosk mode and CSRF on the server, adds
 * the security headers, and gates every page: the served snapshot must pass the strict loader and
 * the viewer must be resolved (lib/viewer/gate.ts), else the browser gets an error page with the
 * real status (503 broken snapshot or unavailable API, 401, 403) instead of a page that cannot set
 * one. API routes run the same gate themselves (withViewer) and answer JSON.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { decide, isKiosk, securityHeaders } from '@/lib/kiosk/policy';
import { gate } from '@/lib/viewer/gate';
import { errorPageResponse } from '@/lib/server/error-page';

/** Pages only: assets and API routes are not gated here. */
function isPage(pathname: string): boolean {
  return !pathname.startsWith('/_next/') && !pathname.startsWith('/api/') && pathname !== '/favicon.ico';
}

export async function proxy(request: NextRequest) {
  const kiosk = isKiosk();
  const decision = decide(
    {
      method: request.method,
      origin: request.headers.get('origin'),
      fetchSite: request.headers.get('sec-fetch-site'),
      // The origin the browser used: `next start -H 127.0.0.1` still reports nextUrl.origin as
      // http://localhost:PORT, which refused every same-origin POST (found by e2e/security.spec.ts).
      selfOrigin: request.headers.get('host') ? `${request.nextUrl.protocol}//${request.headers.get('host')}` : request.nextUrl.origin,
    },
    kiosk,
  );
  const headers = securityHeaders(process.env.NODE_ENV === 'development');
  if (!decision.allow) {
    const res = NextResponse.json({ error: decision.reason, kiosk }, { status: decision.status });
    if (decision.status === 405) res.headers.set('Allow', 'GET, HEAD');
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  }
  if (isPage(request.nextUrl.pathname)) {
    const g = await gate(request.headers, { nodeCaptures: request.nextUrl.pathname.startsWith('/nodes/') });
    if (!g.ok) {
      const res = errorPageResponse(g.error);
      for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
      if (kiosk) res.headers.set('X-Kubepath-Kiosk', '1');
      return res;
    }
  }
  const res = NextResponse.next();
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  if (kiosk) res.headers.set('X-Kubepath-Kiosk', '1');
  return res;
}
