/**
 * Hostile input against the real `next start`: a fast-check generator over every route under app/
 * (pages and API), methods, headers, percent-encodings, parameters and bodies. Every response must
 * be below 500, carry the security headers, give a JSON reason on an API 4xx, and leak no server
 * path or stack; the real question must still be answered the same afterwards. Also: the page and
 * the API read every trace question alike, kiosk refuses every mutation, and the cases issue #19
 * reported, one by one. The number of requests sent is printed.
 */
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startConsole, type ConsoleServer } from './console-server';
import { clusterIp, reachable } from './scenarios';
import { servedSnapshotPath } from './cli';
import {
  bodyText,
  hostileRequest,
  isNextSlashRedirect,
  leakPatterns,
  responseProblems,
  routeTemplates,
  SECURITY_HEADERS,
  type HostileRequest,
  type Sample,
} from './hostile-inputs';
import type { ClusterSnapshot } from '../lib/model/snapshot';

const snap = JSON.parse(readFileSync(servedSnapshotPath(), 'utf8')) as ClusterSnapshot;
const pod = snap.api!.pods.find((p) => !p.hostNetwork && p.nodeName && reachable.includes(p.nodeName))!;
const svc = clusterIp?.service ?? snap.api!.services[0];
const sample: Sample = {
  nodes: reachable,
  clusterIp: svc.clusterIPs[0],
  port: svc.ports[0]?.port ?? 80,
  pod: `${pod.namespace}/${pod.name}`,
  service: { namespace: svc.namespace, name: svc.name },
  dnsName: svc.name,
};
const node = reachable[0];
const realQuestion = new URLSearchParams({
  node,
  src: `node:${node}`,
  dst: sample.clusterIp,
  port: String(sample.port),
  proto: 'tcp',
}).toString();
// The server's directories: the checkout it runs from and the snapshot's.
const leaks = leakPatterns([process.cwd(), path.dirname(servedSnapshotPath())]);
const templates = routeTemplates();
const NUM_RUNS = Number(process.env.KP_HOSTILE_RUNS ?? 1000);

let sent = 0;
async function send(base: string, r: HostileRequest): Promise<{ status: number; headers: Headers; body: string }> {
  sent++;
  const res = await fetch(`${base}${r.target}`, {
    method: r.method,
    headers: r.headers,
    body: bodyText(r.body),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** The real question's outcomes, to compare before and after. */
async function answer(base: string): Promise<string> {
  sent++;
  const res = await fetch(`${base}/api/trace?${realQuestion}`);
  expect(res.status).toBe(200);
  const j = (await res.json()) as {
    traces: { result?: { outcomes: { verdict: string; to: string | null; probability: number }[] } }[];
  };
  return JSON.stringify(j.traces[0].result!.outcomes.map((o) => [o.verdict, o.to, o.probability]));
}

test.afterAll(() => {
  console.log(`hostile-input: ${sent} requests sent`);
});

test('the route list comes from app/ (a new page or route is attacked automatically)', () => {
  expect(templates).toEqual(
    expect.arrayContaining([
      '/',
      '/trace',
      '/dns',
      '/nodes/[node]',
      '/api/trace',
      '/api/report',
      '/api/nodes/[node]',
      '/services/[namespace]/[name]',
    ]),
  );
});

test.describe('default console', () => {
  test('the cases issue #19 reported', async ({ baseURL }) => {
    const base = baseURL!;
    const get = (t: string, init?: RequestInit) => {
      sent++;
      return fetch(`${base}${t}`, { redirect: 'manual', ...init });
    };
    const headersOk = (res: Response, what: string) => {
      for (const [h, re] of SECURITY_HEADERS) expect(res.headers.get(h) ?? '', `${what}: ${h}`).toMatch(re);
    };
    // Malformed percent-encoding: 400, a JSON reason from the API, a readable page elsewhere, the headers.
    // (A malformed query reaches the handlers as literal text — `next start` decodes it leniently — and the strict parsers refuse it.)
    expect((await get('/api/trace?src=%E0%A4%A')).status).toBe(400);
    for (const t of ['/api/nodes/%ZZ', '/api/nodes/%E0%A4%A']) {
      const res = await get(t);
      expect(res.status, t).toBe(400);
      headersOk(res, t);
      expect((await res.json()).error.message, t).toMatch(/malformed percent-encoding/);
    }
    const page = await get('/nodes/%E0%A4%A');
    expect(page.status).toBe(400);
    headersOk(page, '/nodes/%E0%A4%A');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/malformed percent-encoding/);
    // Strict, shared parsing: the API refuses, and the page shows the same refusal.
    const refused: [string, RegExp][] = [
      [`${realQuestion}&port=443`, /given more than once/],
      [new URLSearchParams({ node, src: '10.244.1.2', dst: 'fd00::1', port: '80' }).toString(), /one address family/],
      [new URLSearchParams({ node, src: 'fe80::1%eth0', dst: 'fd00::1', port: '80' }).toString(), /zone id/],
      [
        new URLSearchParams({ node, src: `node:${node}`, dst: sample.clusterIp, port: '0x2382' }).toString(),
        /decimal integer/,
      ],
      [
        new URLSearchParams({ node, src: `node:${node}`, dst: sample.clusterIp, port: '9.09e3' }).toString(),
        /decimal integer/,
      ],
    ];
    for (const [q, why] of refused) {
      const api = await get(`/api/trace?${q}`);
      expect(api.status, q).toBe(400);
      expect((await api.json()).error.message, q).toMatch(why);
      const html = await (await get(`/trace?${q}`)).text();
      expect(html, q).toContain('fix the question and trace again');
      expect(html, q).toMatch(why);
    }
    // Methods: OPTIONS answered, a wrong method a 405 with Allow and a JSON reason (after the CSRF check).
    const options = await get('/api/trace', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    headersOk(options, 'OPTIONS');
    for (const t of ['/api/trace', '/trace', '/']) {
      const res = await get(t, {
        method: 'PUT',
        headers: { origin: base, 'sec-fetch-site': 'same-origin' },
        body: '{}',
      });
      expect(res.status, t).toBe(405);
      expect(res.headers.get('allow'), t).toBe('GET, HEAD');
      expect((await res.json()).error, t).toMatch(/not served/);
      headersOk(res, `PUT ${t}`);
    }
    // The overview names the snapshot by file name only.
    const home = await (await get('/')).text();
    expect(home).toContain(path.basename(servedSnapshotPath()));
    for (const re of leaks) expect(home).not.toMatch(re);
  });

  test('a property-based hostile run over every route: no 5xx, headers, JSON reasons, no leaks; the real question still answered', async ({
    baseURL,
  }) => {
    test.setTimeout(600_000);
    const base = baseURL!;
    const before = await answer(base);
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(hostileRequest(templates, sample, base), async (r) => {
        const res = await send(base, r);
        const problems = responseProblems(r, res, leaks);
        if (problems.length)
          failures.push(`${r.method} ${r.target} ${JSON.stringify(r.headers)} → ${problems.join('; ')}`);
        if (problems.length) throw new Error(problems.join('; '));
      }),
      {
        numRuns: NUM_RUNS,
        seed: process.env.KP_HOSTILE_SEED ? Number(process.env.KP_HOSTILE_SEED) : undefined,
        endOnFailure: true,
      },
    );
    expect(failures).toEqual([]);
    expect(await answer(base)).toBe(before);
  });

  test('the page and the API read every trace question alike', async ({ baseURL }) => {
    test.setTimeout(300_000);
    const base = baseURL!;
    const keys = ['node', 'src', 'dst', 'port', 'proto', 'compare'];
    const value = fc.constantFrom(
      node,
      `node:${node}`,
      `pod:${sample.pod}`,
      sample.clusterIp,
      String(sample.port),
      '10.244.1.2',
      'fd00::1',
      'fe80::1%eth0',
      '0x2382',
      '9.09e3',
      '080',
      '65536',
      'tcp',
      'udp',
      'TCP',
      '',
      ' 80',
      'nope',
    );
    const question = fc.array(fc.tuple(fc.constantFrom(...keys), value), { minLength: 1, maxLength: 7 });
    const box = /fix the question and trace again/;
    // A 400 the page cannot show before tracing: the question parses, but resolving it against the snapshot fails.
    const resolution = /node is required when the source is an address|has no IP|has no known address/;
    await fc.assert(
      fc.asyncProperty(question, async (pairs) => {
        // With no value at all the page shows the empty form, not a refusal.
        fc.pre(pairs.some(([, v]) => v !== ''));
        const q = new URLSearchParams(pairs).toString();
        sent += 2;
        const [api, html] = await Promise.all([
          fetch(`${base}/api/trace?${q}`).then(async (r) => ({
            status: r.status,
            body: (await r.json()) as { error?: { kind: string; message: string; issues?: { path: string }[] } },
          })),
          fetch(`${base}/trace?${q}`).then((r) => r.text()),
        ]);
        const pageRefuses = box.test(html);
        // A destination without a source is how "Trace this ClusterIP" arrives: the page asks for the
        // source (a pod picker) where the API says src is required; everything else must agree.
        const asksSource =
          pairs.some(([k, v]) => k === 'dst' && v !== '') && !pairs.some(([k, v]) => k === 'src' && v !== '');
        const issues = api.body.error?.issues ?? [];
        const refusesMoreThanSource = !asksSource || issues.length === 0 || issues.some((i) => i.path !== 'src');
        const apiRefusesQuestion =
          api.status === 400 && !resolution.test(api.body.error?.message ?? '') && refusesMoreThanSource;
        expect(
          pageRefuses,
          `${q}: page ${pageRefuses ? 'refuses' : 'accepts'}, API ${api.status} ${api.body.error?.message ?? ''}`,
        ).toBe(apiRefusesQuestion);
      }),
      { numRuns: Math.ceil(NUM_RUNS / 4) },
    );
  });
});

test.describe('kiosk console', () => {
  let kiosk: ConsoleServer;
  test.beforeAll(async () => {
    kiosk = await startConsole({ KUBEPATH_KIOSK: '1' });
  });
  test.afterAll(async () => kiosk?.stop());

  test('every mutation on every route is refused with 405 and a reason; the same hostile checks hold', async () => {
    test.setTimeout(300_000);
    const before = await answer(kiosk.baseURL);
    await fc.assert(
      fc.asyncProperty(hostileRequest(templates, sample, kiosk.baseURL), async (r) => {
        const res = await send(kiosk.baseURL, r);
        expect(responseProblems(r, res, leaks), `${r.method} ${r.target}`).toEqual([]);
        if (isNextSlashRedirect(r, res)) return; // answered by Next's router before the kiosk policy (a GET-only redirect target)
        expect(res.headers.get('x-kubepath-kiosk')).toBe('1');
        if (!['GET', 'HEAD'].includes(r.method) && !/malformed/.test(res.body)) {
          expect(res.status, `${r.method} ${r.target}`).toBe(405);
          expect(res.headers.get('allow')).toBe('GET, HEAD');
          expect(JSON.parse(res.body).error).toMatch(/kiosk mode is read-only/);
        }
      }),
      { numRuns: Math.ceil(NUM_RUNS / 2) },
    );
    expect(await answer(kiosk.baseURL)).toBe(before);
  });
});

test.describe('kiosk with KUBEPATH_AUTH=kubernetes', () => {
  let server: ConsoleServer;
  // No apiserver is needed: a request without a token is refused before any is asked.
  test.beforeAll(async () => {
    server = await startConsole({
      KUBEPATH_KIOSK: '1',
      KUBEPATH_AUTH: 'kubernetes',
      KUBEPATH_AUTH_KUBECONFIG: '/nonexistent/kubeconfig',
    });
  });
  test.afterAll(async () => server?.stop());

  test('PDF export needs the same login as every other export', async () => {
    for (const format of ['html', 'md', 'json', 'pdf']) {
      sent++;
      const res = await fetch(`${server.baseURL}/api/report?${realQuestion}&format=${format}`);
      expect(res.status, format).toBe(401);
      expect((await res.json()).error.message, format).toMatch(/bearer token/);
    }
  });
});
