import { describe, expect, it } from 'vitest';
import { decide, isKiosk, securityHeaders } from './policy';

const self = 'http://127.0.0.1:3000';

describe('kiosk > request policy', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'post'])(
    'kiosk refuses %s even from our own origin',
    (method) => {
      const d = decide({ method, origin: self, fetchSite: 'same-origin', selfOrigin: self }, true);
      expect(d).toMatchObject({ allow: false, status: 405 });
    },
  );

  it.each(['GET', 'HEAD', 'get'])('kiosk serves %s', (method) => {
    expect(decide({ method, selfOrigin: self }, true)).toEqual({ allow: true });
  });

  it('outside kiosk, a same-origin POST passes the CSRF check and is refused as a method no route serves', () => {
    expect(decide({ method: 'POST', origin: self, fetchSite: 'same-origin', selfOrigin: self }, false)).toEqual({
      allow: false,
      status: 405,
      allowHeader: 'GET, HEAD',
      reason: 'POST is not served: every kubepath route answers GET, HEAD only',
    });
  });

  it('outside kiosk, OPTIONS is answered with Allow (from any origin: it changes nothing and grants no CORS)', () => {
    for (const origin of [self, 'http://evil.example', null]) {
      expect(decide({ method: 'OPTIONS', origin, fetchSite: 'cross-site', selfOrigin: self }, false)).toMatchObject({
        allow: false,
        status: 204,
        allowHeader: 'GET, HEAD, OPTIONS',
      });
    }
  });

  it.each([
    ['foreign origin', { origin: 'http://evil.example', fetchSite: 'cross-site' }],
    ['no origin at all', { origin: null, fetchSite: null }],
    ['same-site but other origin', { origin: 'http://127.0.0.1:4000', fetchSite: 'same-site' }],
  ])('outside kiosk, CSRF: %s is refused', (_name, headers) => {
    expect(decide({ method: 'POST', ...headers, selfOrigin: self }, false)).toMatchObject({
      allow: false,
      status: 403,
    });
  });

  it('reads KUBEPATH_KIOSK', () => {
    expect(isKiosk({ KUBEPATH_KIOSK: '1' })).toBe(true);
    expect(isKiosk({ KUBEPATH_KIOSK: 'true' })).toBe(true);
    expect(isKiosk({ KUBEPATH_KIOSK: '0' })).toBe(false);
    expect(isKiosk({})).toBe(false);
  });

  it('forbids framing and foreign scripts', () => {
    const h = securityHeaders();
    expect(h['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(h['Content-Security-Policy']).not.toContain('unsafe-eval');
    expect(h['X-Frame-Options']).toBe('DENY');
  });
});
