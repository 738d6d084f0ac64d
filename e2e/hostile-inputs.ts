/**
 * fast-check arbitraries for hostile requests against the console: every route (pages and API,
 * read from app/), every method, header mixes, percent-encodings (valid, malformed, double,
 * over-long UTF-8), repeated and unknown parameters, values near the valid ones (zone ids, hex and
 * exponent ports, mixed families, traversal, markup, control characters) and bodies.
 * The checks each response must pass are in `responseProblems`.
 */
import fc from 'fast-check';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Sample {
  nodes: string[];
  clusterIp: string;
  port: number;
  pod: string;
  service: { namespace: string; name: string };
  dnsName: string;
}

export interface HostileRequest {
  method: string;
  /** Path and query exactly as sent (already encoded, or deliberately not). */
  target: string;
  headers: Record<string, string>;
  /** A body, or the size of a large one (kept small so a counterexample prints readably). */
  body?: string | { bytes: number };
}

export function bodyText(b: HostileRequest['body']): string | undefined {
  return typeof b === 'object' ? 'x'.repeat(b.bytes) : b;
}

/** Route templates under app/ (page.tsx and route.ts), e.g. `/services/[namespace]/[name]`, `/api/nodes/[node]`. */
export function routeTemplates(appDir = path.resolve('app')): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f === 'page.tsx' || f === 'route.ts')
        out.push(`/${path.relative(appDir, dir).split(path.sep).join('/')}`.replace(/\/$/, '') || '/');
    }
  };
  walk(appDir);
  return out.sort();
}

export const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'];
const KNOWN_KEYS = [
  'node',
  'src',
  'dst',
  'port',
  'proto',
  'compare',
  'format',
  'pod',
  'name',
  'resolver',
  'q',
  'capture',
  'from',
  'noReady',
  'snapshot',
  'path',
  'file',
];

/** Text whose percent-encoding is wrong or unusual: each a raw (already "encoded") fragment. */
const rawEncodings = fc.constantFrom(
  '%ZZ',
  '%E0%A4%A',
  '%',
  '%%',
  '%C3',
  '%ED%A0%80',
  '%C0%AF',
  '%2e%2e%2f',
  '%252e',
  '%00',
  '%0A',
  '%u0041',
  '%FF%FE',
  '+',
  '%2B',
  '%20',
  '..%2F..%2Fetc%2Fpasswd',
);

function valuesFor(s: Sample): fc.Arbitrary<string> {
  const node = fc.constantFrom(...s.nodes);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        s.clusterIp,
        String(s.port),
        'tcp',
        'udp',
        'sctp',
        `node:${s.nodes[0]}`,
        `pod:${s.pod}`,
        s.pod,
        s.dnsName,
        'glibc',
        'musl',
        'md',
        'json',
        'html',
        'pdf',
        '1',
      ),
    },
    { weight: 2, arbitrary: node },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'fe80::1%eth0',
        'fd00::1',
        '::ffff:10.0.0.1',
        '10.244.1.2',
        '010.0.0.1',
        '10.0.0.256',
        '0x2382',
        '9.09e3',
        '+80',
        '-1',
        '0',
        '65536',
        '80.0',
        ' 80',
        '８０',
        'Infinity',
        'NaN',
        '../../etc/passwd',
        '/etc/passwd',
        '<img src=x onerror=alert(1)>',
        '"><script>alert(1)</script>',
        "'; DROP TABLE x; --",
        '${7*7}',
        '{{7*7}}',
        '\u0000',
        '\u202e',
        'pod:',
        'pod:a/b/c',
        'node:',
        '[object Object]',
        '__proto__',
        'constructor',
        'TCP',
        'a'.repeat(300),
        `pod:${'x'.repeat(2000)}/y`,
      ),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  );
}

/** A query string: known and random keys, values encoded properly or spliced in raw. */
function queryFor(s: Sample): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...KNOWN_KEYS) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
  );
  const pair = fc
    .tuple(key, valuesFor(s), fc.boolean(), rawEncodings)
    .map(([k, v, raw, bad]) =>
      raw
        ? `${encodeURIComponent(k)}=${bad}${encodeURIComponent(v).slice(0, 60)}`
        : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
    );
  return fc
    .array(pair, { maxLength: 8 })
    .chain((pairs) =>
      // Sometimes repeat one pair (same key, maybe another value): the parsers must refuse it alike.
      fc.boolean().map((dup) => (dup && pairs.length ? [...pairs, pairs[0]] : pairs)),
    )
    .map((ps) => (ps.length ? `?${ps.join('&')}` : ''));
}

/** A value for a dynamic segment: a real one, a hostile one encoded, or raw encoding garbage. */
function segmentFor(template: string, s: Sample): fc.Arbitrary<string> {
  const real =
    template === '[node]'
      ? fc.constantFrom(...s.nodes)
      : template === '[namespace]'
        ? fc.constant(s.service.namespace)
        : fc.constant(s.service.name);
  return fc.oneof(
    { weight: 3, arbitrary: real.map(encodeURIComponent) },
    { weight: 2, arbitrary: valuesFor(s).map((v) => encodeURIComponent(v).slice(0, 200) || 'x') },
    { weight: 2, arbitrary: fc.tuple(rawEncodings, real).map(([bad, r]) => `${r}${bad}`) },
  );
}

export function targetFor(templates: string[], s: Sample): fc.Arbitrary<string> {
  return fc.constantFrom(...templates).chain((t) => {
    const parts = t.split('/').slice(1);
    const segs = parts.map((p) => (/^\[.*\]$/.test(p) ? segmentFor(p, s) : fc.constant(p)));
    return fc
      .tuple(fc.tuple(...segs), queryFor(s), fc.constantFrom('', '', '', '/', '//', '/..', '/x'))
      .map(([ss, q, tail]) => `/${ss.join('/')}${t === '/' ? '' : tail}${q}`.replace(/^\/\/+/, '/'));
  });
}

export function headersFor(self: string): fc.Arbitrary<Record<string, string>> {
  const printable = fc.string({ maxLength: 60 }).map((v) => v.replace(/[^\x20-\x7e]/g, ''));
  return fc
    .record(
      {
        origin: fc.constantFrom(undefined, self, 'http://evil.example', 'null', ''),
        'sec-fetch-site': fc.constantFrom(undefined, 'same-origin', 'cross-site', 'none', 'same-site'),
        accept: fc.constantFrom(undefined, 'application/json', 'text/html', '*/*', 'text/x-component', ''),
        'content-type': fc.constantFrom(
          undefined,
          'application/json',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'text/plain',
        ),
        authorization: fc.oneof(
          fc.constant(undefined),
          printable.map((v) => `Bearer ${v}`),
          printable,
        ),
        rsc: fc.constantFrom(undefined, '1'),
        'next-router-state-tree': fc.constantFrom(undefined, '%5B%22%22%5D', 'garbage', '%ZZ'),
        'next-action': fc.constantFrom(undefined, 'deadbeef', '0'.repeat(40)),
        'x-forwarded-host': fc.constantFrom(undefined, 'evil.example'),
        cookie: fc.oneof(fc.constant(undefined), printable),
        range: fc.constantFrom(undefined, 'bytes=0-10', 'bytes=abc'),
      },
      { requiredKeys: [] },
    )
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

export function bodyFor(): fc.Arbitrary<HostileRequest['body']> {
  return fc.oneof(
    fc.constant(undefined),
    fc.constant('{}'),
    fc.json({ maxDepth: 3 }),
    fc.string({ maxLength: 200 }),
    fc.constant('a=1&b=%ZZ'),
    fc.constant({ bytes: 200_000 }),
  );
}

export function hostileRequest(templates: string[], s: Sample, self: string): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      method: fc.constantFrom(...METHODS),
      target: targetFor(templates, s),
      headers: headersFor(self),
      body: bodyFor(),
    })
    .map((r) => ({ ...r, body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body }));
}

export const SECURITY_HEADERS: [string, RegExp][] = [
  ['content-security-policy', /frame-ancestors 'none'/],
  ['x-frame-options', /^DENY$/],
  ['x-content-type-options', /^nosniff$/],
  ['referrer-policy', /^no-referrer$/],
];

/** Strings that would mean the server leaked its file system or a stack trace. */
export function leakPatterns(serverDirs: string[]): RegExp[] {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [
    ...serverDirs.map((d) => new RegExp(esc(d))),
    /\/node_modules\//,
    /node:internal/,
    /\n\s+at [^\n]+:\d+:\d+\)?/,
    /Minified React error/,
  ];
}

/**
 * The one response no app code sees: Next's router answers a path with `//` or `\\` with a bare 308
 * to the collapsed path before proxy.ts runs (nothing can add headers there; the browser follows it
 * to a URL that has them). Exactly that is accepted.
 */
export function isNextSlashRedirect(
  req: HostileRequest,
  res: { status: number; headers: Headers; body: string },
): boolean {
  const pathOnly = req.target.split('?')[0];
  if (!/\/\/|\\/.test(pathOnly)) return false;
  const loc = res.headers.get('location') ?? '';
  return (
    res.status === 308 &&
    loc.split('?')[0] === pathOnly.replace(/[\\/]+/g, '/') &&
    (res.body === loc || (req.method === 'HEAD' && res.body === ''))
  );
}

/** Everything wrong with one response (empty when it passes). */
export function responseProblems(
  req: HostileRequest,
  res: { status: number; headers: Headers; body: string },
  leaks: RegExp[],
): string[] {
  const out: string[] = [];
  if (isNextSlashRedirect(req, res)) return [];
  for (const [h, re] of SECURITY_HEADERS)
    if (!re.test(res.headers.get(h) ?? '')) out.push(`header ${h}: ${JSON.stringify(res.headers.get(h))}`);
  const pathname = req.target.split('?')[0];
  const api = pathname === '/api' || pathname.startsWith('/api/');
  if (api && res.status >= 400 && res.status < 500 && req.method !== 'HEAD') {
    let reason: unknown;
    try {
      const j = JSON.parse(res.body) as { error?: unknown };
      reason = typeof j.error === 'string' ? j.error : (j.error as { message?: unknown } | undefined)?.message;
    } catch {
      reason = undefined;
    }
    if (typeof reason !== 'string' || !reason)
      out.push(`API ${res.status} without a JSON reason: ${res.body.slice(0, 120)}`);
  }
  for (const re of leaks) if (re.test(res.body)) out.push(`body leaks ${re}`);
  return out;
}
