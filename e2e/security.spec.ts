/**
 * Security, end to end against real `next start` servers and Debian Chromium: kiosk method matrix
 * over every API route found in app/api, CSRF, security headers, path traversal, hostile names in
 * the UI and in every report format, and namespace RBAC decided by a real kube-apiserver.
 */
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { startConsole, type ConsoleServer } from './console-server';
import { HOSTILE, writeHostileSnapshot, type HostileSnapshot } from './hostile-snapshot';
import { clusterIp, reachable } from './scenarios';
import { apiserverUnavailable, startTestApiserver, type TestApiserver } from '../testkit/apiserver';
import { servedSnapshotPath } from './cli';
import type { ClusterSnapshot } from '../lib/model/snapshot';

const snap = JSON.parse(readFileSync(servedSnapshotPath(), 'utf8')) as ClusterSnapshot;
const node = reachable[0];
const traceTo = (dst: string, port: number) =>
  new URLSearchParams({ node, src: `node:${node}`, dst, port: String(port), proto: 'tcp' }).toString();
const okTrace = clusterIp ? traceTo(clusterIp.service.clusterIPs[0], clusterIp.service.ports[0].port) : '';

/** Every API route under app/api, with sample values for dynamic segments and a valid GET query. */
function apiRoutes(): { path: string; get: string }[] {
  const root = path.resolve('app/api');
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .flatMap((f) => {
        const p = path.join(dir, f);
        return statSync(p).isDirectory() ? walk(p) : f === 'route.ts' ? [path.relative(root, dir)] : [];
      })
      .filter((rel) => !rel.includes('...')); // the catch-all answers unknown paths with a JSON 404, it serves nothing
  const pod = snap.api!.pods.find((p) => !p.hostNetwork && p.nodeName && reachable.includes(p.nodeName));
  const dns = pod
    ? `?${new URLSearchParams({ pod: `${pod.namespace}/${pod.name}`, name: clusterIp?.service.name ?? 'kubernetes' })}`
    : '';
  const queries: Record<string, string> = { trace: `?${okTrace}`, report: `?${okTrace}&format=json`, dns };
  return walk(root).map((rel) => {
    const p = `/api/${rel
      .split(path.sep)
      .map((seg) => (seg === '[node]' ? node : /^\[.*\]$/.test(seg) ? 'x' : seg))
      .join('/')}`.replace(/\/$/, '');
    return { path: p, get: `${p}${queries[rel] ?? ''}` };
  });
}
const routes = apiRoutes();

test('the route list is read from app/api (so a new route is covered automatically)', () => {
  expect(routes.map((r) => r.path)).toEqual(
    expect.arrayContaining(['/api/services', '/api/trace', '/api/report', `/api/nodes/${node}`]),
  );
});

test.describe('kiosk: every API route refuses POST/PUT/PATCH/DELETE with 405, GET works', () => {
  let kiosk: ConsoleServer;
  test.beforeAll(async () => {
    kiosk = await startConsole({ KUBEPATH_KIOSK: '1' });
  });
  test.afterAll(async () => kiosk?.stop());

  for (const r of routes) {
    test(r.path, async ({ request }) => {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const res = await request.fetch(`${kiosk.baseURL}${r.path}`, {
          method,
          headers: { origin: kiosk.baseURL },
          data: '{}',
        });
        expect(res.status(), `${method} ${r.path}`).toBe(405);
        expect(res.headers()['allow']).toBe('GET, HEAD');
        // Refused by the kiosk policy itself, not by Next's default 405 for a missing handler.
        expect((await res.json()).error, `${method} ${r.path}`).toMatch(/kiosk mode is read-only/);
      }
      // GET/HEAD are served: never refused by the policy (a route may still answer 4xx to a question it cannot answer).
      for (const method of ['GET', 'HEAD']) {
        const res = await request.fetch(`${kiosk.baseURL}${r.get}`, { method });
        expect([403, 405], `${method} ${r.get}`).not.toContain(res.status());
        expect(res.status(), `${method} ${r.get}`).toBeLessThan(500);
      }
      if (r.path !== '/api/dns') expect((await request.get(`${kiosk.baseURL}${r.get}`)).status(), r.get).toBe(200);
    });
  }
});

test.describe('CSRF and security headers (default console)', () => {
  test('a cross-origin POST is refused (403) on every API route and page; a same-origin POST gets past the check', async ({
    request,
    baseURL,
  }) => {
    for (const p of [...routes.map((r) => r.path), '/trace', '/']) {
      const evil = await request.post(p, { headers: { origin: 'http://evil.example' }, data: '{}' });
      expect(evil.status(), p).toBe(403);
      expect((await evil.json()).error).toMatch(/CSRF|Origin/);
      const crossSite = await request.post(p, {
        headers: { origin: baseURL!, 'sec-fetch-site': 'cross-site' },
        data: '{}',
      });
      expect(crossSite.status(), p).toBe(403);
      const noOrigin = await request.delete(p);
      expect(noOrigin.status(), p).toBe(403);
      // Same origin: the policy lets it through and the route itself answers (no POST handler → 405).
      const same = await request.post(p, {
        headers: { origin: baseURL!, 'sec-fetch-site': 'same-origin' },
        data: '{}',
      });
      expect(same.status(), p).not.toBe(403);
    }
  });

  test('CSP with frame-ancestors, X-Frame-Options and nosniff on pages, API answers, downloads and errors', async ({
    request,
  }) => {
    const urls = [
      '/',
      '/services',
      `/trace?${okTrace}`,
      `/nodes/${node}`,
      '/no-such-page',
      ...routes.map((r) => r.get),
      '/api/trace?dst=nope',
    ];
    for (const u of urls) {
      const res = await request.get(u);
      const h = res.headers();
      expect(h['content-security-policy'], u).toMatch(/frame-ancestors 'none'/);
      expect(h['content-security-policy'], u).toMatch(/object-src 'none'/);
      expect(h['x-frame-options'], u).toBe('DENY');
      expect(h['x-content-type-options'], u).toBe('nosniff');
    }
  });

  test('Chromium refuses to show the console inside a frame', async ({ page, baseURL }) => {
    await page.setContent(`<iframe src="${baseURL}/services" width="600" height="300"></iframe>`);
    // Blocked by frame-ancestors / X-Frame-Options, the frame ends on Chromium's error page, never the console.
    await expect
      .poll(() =>
        page
          .frames()
          .slice(1)
          .map((f) => f.url()),
      )
      .toEqual(['chrome-error://chromewebdata/']);
  });
});

test.describe('path traversal', () => {
  test('snapshot and node names from a request never reach the filesystem', async ({ request, page }) => {
    const passwd = /root:x:0:0/;
    const cases: { url: string; status: number }[] = [
      { url: `/api/report?${okTrace}&format=md&snapshot=../../etc/passwd`, status: 400 },
      { url: `/api/report?${okTrace}&format=json&path=%2Fetc%2Fpasswd`, status: 400 },
      { url: '/api/report?node=..%2F..%2Fetc%2Fpasswd&src=10.0.0.1&dst=10.96.0.1&port=80&format=md', status: 404 },
      { url: '/api/trace?node=..%2F..%2Fetc%2Fpasswd&src=10.0.0.1&dst=10.96.0.1&port=80', status: 404 },
      { url: '/api/nodes/..%2F..%2F..%2Fetc%2Fpasswd', status: 404 },
      { url: '/api/nodes/%2e%2e%2f%2e%2e%2fetc%2fpasswd', status: 404 },
      { url: '/nodes/..%2F..%2Fetc%2Fpasswd', status: 404 },
    ];
    for (const c of cases) {
      const res = await request.get(c.url);
      expect(res.status(), c.url).toBe(c.status);
      expect(await res.text(), c.url).not.toMatch(passwd);
    }
    // A `snapshot=` on other routes is ignored: the served snapshot is fixed at start-up.
    const plain = await (await request.get('/api/services')).json();
    const tried = await request.get('/api/services?snapshot=../../etc/passwd');
    expect(await tried.json()).toEqual(plain);
    await page.goto('/nodes/..%2F..%2Fetc%2Fpasswd');
    await expect(page.locator('body')).not.toContainText(passwd);
  });
});

test.describe('hostile names render as text in the UI and in every report format', () => {
  let hostile: HostileSnapshot;
  let server: ConsoleServer;
  test.beforeAll(async () => {
    hostile = writeHostileSnapshot();
    server = await startConsole({ KUBEPATH_SNAPSHOT: hostile.file });
  });
  test.afterAll(async () => {
    await server?.stop();
    if (hostile) rmSync(path.dirname(hostile.file), { recursive: true, force: true });
  });

  const guard = (page: Page) => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return dialogs;
  };
  const noInjectedImg = async (page: Page, where: string) =>
    expect(await page.locator('img[src="x"]').count(), where).toBe(0);

  test('Service list, Service page, trace and node captures', async ({ page }) => {
    const dialogs = guard(page);
    const q = traceTo(hostile.clusterIP, hostile.port);
    await page.goto(`${server.baseURL}/services?q=onerror`);
    await expect(page.getByText(HOSTILE).first()).toBeVisible();
    await noInjectedImg(page, 'services');
    await page.screenshot({ path: 'artifacts/screenshots/hostile-services.png' });
    await page.goto(`${server.baseURL}/services/${hostile.namespace}/${encodeURIComponent(HOSTILE)}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(HOSTILE);
    await noInjectedImg(page, 'service page');
    await page.goto(`${server.baseURL}/trace?${q}`);
    await expect(
      page.locator(`[data-trace-node="${node}"] [data-lane-graph="${node}"] [data-testid="trace-graph"]`),
    ).toHaveAttribute('data-graph-ready', 'true');
    await page
      .getByText(/Chains and edges as text/)
      .first()
      .click();
    await expect(page.getByText(HOSTILE).first()).toBeVisible();
    await noInjectedImg(page, 'trace');
    await page.screenshot({ path: 'artifacts/screenshots/hostile-trace.png', fullPage: true });
    await page.goto(`${server.baseURL}/nodes/${node}`);
    await page.locator('details > summary').filter({ hasText: 'iptables-save' }).first().click();
    await expect(page.getByText(`--comment "${hostile.namespace}/${HOSTILE}`, { exact: false }).first()).toBeVisible();
    await noInjectedImg(page, 'node');
    expect(dialogs).toEqual([]);
  });

  test('reports: HTML shows the name as text in Chromium, Markdown keeps it inert, JSON as data, PDF renders', async ({
    page,
    request,
  }) => {
    const dialogs = guard(page);
    const q = traceTo(hostile.clusterIP, hostile.port);
    const get = async (format: string) => {
      const res = await request.get(`${server.baseURL}/api/report?${q}&format=${format}`);
      expect(res.status(), format).toBe(200);
      return res;
    };
    const html = await (await get('html')).text();
    expect(html).not.toContain(HOSTILE);
    await page.setContent(html);
    await expect(page.getByText(HOSTILE).first()).toBeVisible();
    await noInjectedImg(page, 'html report');
    const md = await (await get('md')).text();
    // Outside fenced code blocks the payload must be escaped; inside them it is literal text.
    const prose = md.split(/^(`{3,}).*$[\s\S]*?^\1$/m).join('');
    expect(prose).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const json = await get('json');
    expect(json.headers()['content-type']).toBe('application/json');
    expect(JSON.stringify(await json.json())).toContain(HOSTILE.replace(/"/g, '\\"'));
    const pdf = await get('pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(dialogs).toEqual([]);
  });
});

test.describe('KUBEPATH_AUTH=kubernetes against a real kube-apiserver', () => {
  const skip = apiserverUnavailable();
  test.skip(!!skip, `no test apiserver: ${skip}`);
  test.skip(!clusterIp, 'snapshot has no ClusterIP Service with two ready endpoints');
  const own = clusterIp?.service.namespace ?? '';
  const otherSvc = snap.api!.services.find(
    (s) =>
      s.namespace !== own &&
      s.type === 'ClusterIP' &&
      s.clusterIPs[0] &&
      s.clusterIPs[0] !== 'None' &&
      s.ports[0] &&
      snap.api!.endpointSlices.some(
        (es) => es.namespace === s.namespace && es.service === s.name && es.endpoints.some((e) => e.ready),
      ),
  );
  let api: TestApiserver;
  let server: ConsoleServer;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    api = await startTestApiserver();
    const kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigs.admin);
    const core = kc.makeApiClient(CoreV1Api);
    for (const name of new Set(snap.api!.services.map((s) => s.namespace)))
      await core.createNamespace({ body: { metadata: { name } } }).catch(() => undefined);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: own,
      body: {
        metadata: { name: 'kubepath-view' },
        rules: [
          { apiGroups: [''], resources: ['services', 'pods'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: own,
      body: {
        metadata: { name: 'viewer-view' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kubepath-view' },
        subjects: [{ kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io' }],
      },
    });
    server = await startConsole({ KUBEPATH_AUTH: 'kubernetes', KUBEPATH_AUTH_KUBECONFIG: api.kubeconfigs.admin });
  });
  test.afterAll(async () => {
    await server?.stop();
    await api?.stop();
  });

  test('no token → 401 with the reason on every API route; a made-up token → 401', async ({ request }) => {
    for (const r of routes) {
      const res = await request.get(`${server.baseURL}${r.get}`);
      expect(res.status(), r.get).toBe(401);
      expect((await res.json()).error.message, r.get).toMatch(/bearer token/);
    }
    const fake = await request.get(`${server.baseURL}/api/services`, { headers: bearer('made-up-token') });
    expect(fake.status()).toBe(401);
    expect((await fake.json()).error.message).toMatch(/not accepted/);
  });

  test(`the namespace-bound viewer sees only its namespace and is refused (403) a trace into another`, async ({
    request,
  }) => {
    const list = (
      await (await request.get(`${server.baseURL}/api/services`, { headers: bearer('viewer-token') })).json()
    ).services as { namespace: string }[];
    expect(list.length).toBe(snap.api!.services.filter((s) => s.namespace === own).length);
    expect(new Set(list.map((s) => s.namespace))).toEqual(new Set([own]));
    const mine = await request.get(`${server.baseURL}/api/trace?${okTrace}`, { headers: bearer('viewer-token') });
    expect(mine.status()).toBe(200);
    const report = await (
      await request.get(`${server.baseURL}/api/report?${okTrace}&format=json`, { headers: bearer('viewer-token') })
    ).json();
    // The console (admin kubeconfig here) may create TokenReviews: the report names the user the API server gives the token.
    expect(report.createdBy).toMatch(/^viewer \(token sha256:[0-9a-f]{12}\)$/);
    expect(report.replay).toBeUndefined();
    test.skip(!otherSvc, 'snapshot has no routable Service in a second namespace');
    const other = traceTo(otherSvc!.clusterIPs[0], otherSvc!.ports[0].port);
    for (const u of [`/api/trace?${other}`, `/api/report?${other}&format=md`]) {
      const res = await request.get(`${server.baseURL}${u}`, { headers: bearer('viewer-token') });
      expect(res.status(), u).toBe(403);
      expect((await res.json()).error.message).toMatch(/not allowed to see/);
    }
    expect(
      (await request.get(`${server.baseURL}/api/nodes/${node}`, { headers: bearer('viewer-token') })).status(),
    ).toBe(403);
    expect(
      (await (await request.get(`${server.baseURL}/api/services`, { headers: bearer('nobody-token') })).json())
        .services,
    ).toEqual([]);
  });

  test('the admin token sees every Service and may trace anywhere', async ({ request }) => {
    const list = (
      await (await request.get(`${server.baseURL}/api/services`, { headers: bearer(api.adminToken) })).json()
    ).services;
    expect(list.length).toBe(snap.api!.services.length);
    if (otherSvc)
      expect(
        (
          await request.get(`${server.baseURL}/api/trace?${traceTo(otherSvc.clusterIPs[0], otherSvc.ports[0].port)}`, {
            headers: bearer(api.adminToken),
          })
        ).status(),
      ).toBe(200);
  });

  test("in Chromium: no token shows the reason; the viewer's pages count only its namespace and the trace into another is refused", async ({
    browser,
  }) => {
    const anon = await browser.newPage();
    // The page carries the status of its refusal (401), not a 200 page with an error on it.
    expect((await anon.goto(`${server.baseURL}/services`))?.status()).toBe(401);
    await expect(anon.getByRole('alert').filter({ hasText: 'bearer token' })).toBeVisible();
    await anon.close();
    const ctx = await browser.newContext({ extraHTTPHeaders: bearer('viewer-token') });
    const page = await ctx.newPage();
    await page.goto(`${server.baseURL}/`);
    await expect(page.getByTestId('count-services')).toHaveText(
      String(snap.api!.services.filter((s) => s.namespace === own).length),
    );
    // A node's raw captures hold every namespace's rules: the node page is a 403 with the reason.
    expect((await page.goto(`${server.baseURL}/nodes/${node}`))?.status()).toBe(403);
    await expect(page.getByRole('alert').filter({ hasText: 'every namespace' })).toBeVisible();
    await page.goto(`${server.baseURL}/`);
    if (otherSvc) {
      await page.goto(`${server.baseURL}/trace?${traceTo(otherSvc.clusterIPs[0], otherSvc.ports[0].port)}`);
      await expect(page.getByRole('alert').filter({ hasText: 'not allowed to see' })).toBeVisible();
      // A Service in a hidden namespace is "not found": its existence is not revealed either.
      const hidden = await page.goto(`${server.baseURL}/services/${otherSvc.namespace}/${otherSvc.name}`);
      expect(hidden?.status()).toBe(404);
      await expect(page.getByText('Dataplane per node')).toHaveCount(0);
      const mine = await page.goto(`${server.baseURL}/services/${clusterIp!.key}`);
      expect(mine?.status()).toBe(200);
      await expect(page.getByText('Dataplane per node')).toBeVisible();
    }
    await ctx.close();
  });
});
