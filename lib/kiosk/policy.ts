/**
 * The server's request policy, evaluated for every request by `proxy.ts` before any route runs.
 * Kiosk mode is enforced here, on the server: in kiosk mode only GET and HEAD are served, on every
 * route (a trace or an export is a GET with the question in the URL), so nothing can be changed,
 * no credential entered and no node added, whatever the browser shows.
 */

export type PolicyDecision =
  | { allow: true }
  | { allow: false; status: 204 | 403 | 405; reason: string; /** The `Allow` header to send. */ allowHeader?: string };

/** Every route of the console (pages and API) answers GET and HEAD only; a question travels in the URL. */
export const ALLOWED_METHODS = 'GET, HEAD';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function isKiosk(env: Record<string, string | undefined> = process.env): boolean {
  const v = (env.KUBEPATH_KIOSK ?? '').toLowerCase();
  return v === '1' || v === 'true' || v === 'yes';
}

export interface RequestFacts {
  method: string;
  /** `Origin` header, if any. */
  origin?: string | null;
  /** `Sec-Fetch-Site` header, if any (browsers send it on every request). */
  fetchSite?: string | null;
  /** The origin this server is reached at, e.g. http://127.0.0.1:3000. */
  selfOrigin: string;
}

/**
 * Kiosk: anything but GET/HEAD → 405. Otherwise OPTIONS is answered (204 with `Allow`, no CORS
 * headers, so a cross-origin caller learns nothing it may use), and any other method must first pass
 * the CSRF check (a cross-site form post or fetch carries a foreign Origin / Sec-Fetch-Site) and is
 * then refused with 405: no route takes a body.
 */
export function decide(req: RequestFacts, kiosk: boolean): PolicyDecision {
  const method = req.method.toUpperCase();
  if (SAFE_METHODS.has(method)) return { allow: true };
  if (kiosk)
    return {
      allow: false,
      status: 405,
      allowHeader: ALLOWED_METHODS,
      reason: `kiosk mode is read-only: ${method} is refused (only GET and HEAD are served)`,
    };
  if (method === 'OPTIONS')
    return { allow: false, status: 204, allowHeader: `${ALLOWED_METHODS}, OPTIONS`, reason: '' };
  if (req.fetchSite && req.fetchSite !== 'same-origin' && req.fetchSite !== 'none') {
    return { allow: false, status: 403, reason: `cross-site ${method} refused (Sec-Fetch-Site: ${req.fetchSite})` };
  }
  if (!req.origin || req.origin !== req.selfOrigin) {
    return {
      allow: false,
      status: 403,
      reason: `${method} refused: the Origin header must be this console's own origin (CSRF protection)`,
    };
  }
  return {
    allow: false,
    status: 405,
    allowHeader: ALLOWED_METHODS,
    reason: `${method} is not served: every kubepath route answers ${ALLOWED_METHODS} only`,
  };
}

/** Security headers on every response. Next's hydration needs inline scripts, hence 'unsafe-inline' for scripts. */
export function securityHeaders(dev = false): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}
