/**
 * Runs before every route (pages, API, assets). Enforces kiosk mode and CSRF on the server and adds
 * the security headers. Route handlers stay thin; nothing here depends on what the UI shows.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { decide, isKiosk, securityHeaders } from '@/lib/kiosk/policy';

export function proxy(request: NextRequest) {
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
  const res = NextResponse.next();
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  if (kiosk) res.headers.set('X-Kubepath-Kiosk', '1');
  return res;
}
