import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { startConsole, type ConsoleServer } from './console-server';
import { clusterIp, reachable } from './scenarios';

const shots = 'artifacts/screenshots';
mkdirSync(shots, { recursive: true });

let kiosk: ConsoleServer;
test.beforeAll(async () => {
  kiosk = await startConsole({ KUBEPATH_KIOSK: '1' });
});
test.afterAll(async () => kiosk?.stop());

test.describe('kiosk mode (KUBEPATH_KIOSK=1)', () => {
  test('every page shows the kiosk banner and offers no control that sends anything but a GET', async ({ page }) => {
    const pages = [
      '/',
      '/services',
      '/trace',
      '/dns',
      `/nodes/${reachable[0]}`,
      ...(clusterIp ? [`/services/${clusterIp.key}`] : []),
    ].filter((p) => p !== '/dns' || existsSync('app/dns'));
    for (const p of pages) {
      const res = await page.goto(`${kiosk.baseURL}${p}`);
      expect(res?.status(), p).toBe(200);
      expect(res?.headers()['x-kubepath-kiosk']).toBe('1');
      await expect(page.getByRole('status', { name: 'kiosk mode' })).toContainText('read-only');
      // Forms are the only way a page can send a body; every one must be a GET (the trace question).
      for (const method of await page.locator('form').evaluateAll((fs) => fs.map((f) => (f as HTMLFormElement).method)))
        expect(method, p).toBe('get');
      expect(await page.locator('input[type=password], input[type=file], [contenteditable=true]').count(), p).toBe(0);
    }
    await page.goto(`${kiosk.baseURL}/`);
    await page.screenshot({ path: `${shots}/kiosk-banner.png` });
  });

  test('tracing and exporting still work (GET), while a POST to the same page or API is refused with 405', async ({
    page,
    request,
  }) => {
    test.skip(!clusterIp, 'snapshot has no ClusterIP Service with two ready endpoints');
    const n = reachable[0];
    const q = new URLSearchParams({
      node: n,
      src: `node:${n}`,
      dst: clusterIp!.service.clusterIPs[0],
      port: String(clusterIp!.service.ports[0].port),
      proto: 'tcp',
    }).toString();
    await page.goto(`${kiosk.baseURL}/trace?${q}`);
    await expect(
      page.locator(`[data-trace-node="${n}"] [data-lane-graph="${n}"] [data-testid="trace-graph"]`),
    ).toHaveAttribute('data-graph-ready', 'true');
    await expect(page.getByRole('navigation', { name: 'Export incident report' })).toBeVisible();
    await page.screenshot({ path: `${shots}/kiosk-trace.png`, fullPage: true });
    const md = await request.get(`${kiosk.baseURL}/api/report?${q}&format=md`);
    expect(md.status()).toBe(200);
    // The browser itself is refused too: a same-origin fetch POST from the kiosk page.
    const status = await page.evaluate(async () => (await fetch('/api/trace', { method: 'POST', body: '{}' })).status);
    expect(status).toBe(405);
    for (const path of [`/trace?${q}`, `/api/report?${q}&format=md`]) {
      const res = await request.post(`${kiosk.baseURL}${path}`, { headers: { origin: kiosk.baseURL } });
      expect(res.status(), path).toBe(405);
      expect(res.headers()['allow']).toBe('GET, HEAD');
      expect((await res.json()).error).toMatch(/kiosk mode is read-only/);
    }
  });
});
