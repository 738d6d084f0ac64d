/**
 * Runs before every route (pages, API, assets). Enforces kiosk mode, CSRF and the method policy on
 * the server, refuses malformed percent-encoding before any route decodes it, adds the security
 * headers, and gates every page: the served snapshot must pass the strict loader and the viewer
 * must be resolved (lib/viewer/gate.ts), else the browser gets an error page with the real status
 * (503 broken snapshot or unavailable API, 401, 403) instead of a page that cannot set one. API
 * routes run the same gate themselves (withViewer) and answer JSON.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { decide, isKiosk, securityHeaders } from '@/lib/kiosk/policy';
import { malformedEncoding } from '@/lib/kiosk/encoding';
import { gate } from '@/lib/viewer/gate';
import { errorPageResponse } from '@/lib/server/error-page';

const isApi = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

function withHeaders<R extends Response>(res: R, kiosk: boolean): R {
  for (const [k, v] of Object.entries(securityHeaders(process.env.NODE_ENV === 'development'))) res.headers.set(k, v);
  if (kiosk) res.headers.set('X-Kubepath-Kiosk', '1');
  return res;
}

/** A 400 page a person can read (no user text echoed: the reason names the part, not its content). */
function badRequestPage(reason: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad request · kubepath</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto"><h1>This address cannot be read</h1>
<p role="alert">${reason}.</p><p><a href="/">Back to the overview</a></p></body></html>`;
}

/** Pages only: assets and API routes are not gated here. */
function isPage(pathname: string): boolean {
  return !pathname.startsWith('/_next/') && !pathname.startsWith('/api/') && pathname !== '/favicon.ico';
}

export async function proxy(request: NextRequest) {
  const kiosk = isKiosk();
  // The raw target as sent: Next decodes path segments later and answered %ZZ with a bare 500.
  const raw = new URL(request.url);
  const bad = malformedEncoding(raw.pathname, raw.search);
  if (bad) {
    console.warn(`kubepath: 400 ${request.method} ${JSON.stringify(raw.pathname.slice(0, 200))}: ${bad}`);
    const res = isApi(raw.pathname)
      ? NextResponse.json(
          { error: { kind: 'invalid-request', message: bad, issues: [{ path: '(url)', message: bad }] } },
          { status: 400 },
        )
      : new NextResponse(badRequestPage(bad), { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    return withHeaders(res, kiosk);
  }
  const decision = decide(
    {
      method: request.method,
      origin: request.headers.get('origin'),
      fetchSite: request.headers.get('sec-fetch-site'),
      // The origin the browser used: `next start -H 127.0.0.1` still reports nextUrl.origin as
      // http://localhost:PORT, which refused every same-origin POST (found by e2e/security.spec.ts).
      selfOrigin: request.headers.get('host')
        ? `${request.nextUrl.protocol}//${request.headers.get('host')}`
        : request.nextUrl.origin,
    },
    kiosk,
  );
  if (!decision.allow) {
    // Refusals keep their `{ error: reason, kiosk }` shape (clients and tests read it); OPTIONS has no body.
    const res =
      decision.status === 204
        ? new NextResponse(null, { status: 204 })
        : NextResponse.json({ error: decision.reason, kiosk }, { status: decision.status });
    if (decision.allowHeader) res.headers.set('Allow', decision.allowHeader);
    return withHeaders(res, kiosk);
  }
  if (isPage(request.nextUrl.pathname)) {
    const g = await gate(request.headers, { nodeCaptures: request.nextUrl.pathname.startsWith('/nodes/') });
    if (!g.ok) return withHeaders(errorPageResponse(g.error), kiosk);
  }
  return withHeaders(NextResponse.next(), kiosk);
}
