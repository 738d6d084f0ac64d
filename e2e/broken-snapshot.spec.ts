/**
 * The console refuses a snapshot it cannot vouch for, in the browser and on the API: a capture
 * whose text no longer matches its sha256, truncated JSON, a wrong inner shape. Each is a 503 naming
 * the file (by name, never its server path) and what is wrong; never "not found", never a React
 * minified error, never a stack. One console serves one file, rewritten between cases: the loader
 * re-reads on every file version, and the intact file is served again at the end.
 */
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startConsole, type ConsoleServer } from './console-server';
import { servedText, tamperedCapture, truncatedJson, wrongInnerShape } from './broken-snapshot';
import { clusterIp, reachable } from './scenarios';

const dir = mkdtempSync(path.join(tmpdir(), 'kp-broken-'));
const file = path.join(dir, 'snapshot.json');
let server: ConsoleServer;
let version = 0;

/** Writes a new version of the served file (a distinct mtime, so the loader sees a new version). */
function serve(text: string) {
  writeFileSync(file, text);
  const t = new Date(Date.now() + ++version * 1000);
  utimesSync(file, t, t);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  serve(tamperedCapture().text);
  server = await startConsole({ KUBEPATH_SNAPSHOT: file });
});
test.afterAll(async () => server?.stop());

const traceQuery = () => {
  const n = reachable[0];
  const dst = clusterIp?.service.clusterIPs[0] ?? '10.96.0.1';
  return new URLSearchParams({
    node: n,
    src: `node:${n}`,
    dst,
    port: String(clusterIp?.service.ports[0].port ?? 443),
    proto: 'tcp',
  }).toString();
};

async function expectApiRefusal(res: APIResponse, what: RegExp) {
  expect(res.status(), res.url()).toBe(503);
  const body = (await res.json()) as { error: { kind: string; message: string } };
  expect(body.error.kind).toBe('broken-snapshot');
  expect(body.error.message).toMatch(/^snapshot\.json: /);
  expect(body.error.message).toMatch(what);
  expect(body.error.message).not.toContain(dir);
  expect(res.headers()['content-security-policy']).toBeTruthy();
}

async function expectPageRefusal(page: Page, url: string, what: RegExp) {
  const res = await page.goto(`${server.baseURL}${url}`);
  expect(res?.status(), url).toBe(503);
  expect(res?.headers()['content-security-policy'], url).toBeTruthy();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The snapshot cannot be served');
  await expect(alert).toContainText('snapshot.json');
  await expect(alert).toContainText(what);
  const text = await page.locator('body').innerText();
  expect(text).not.toContain(dir);
  expect(text).not.toMatch(/not found|Minified React error|\n\s+at \S+ \(/i);
}

test('a capture edited after collection (sha256 left) is refused by name, on every page and the API', async ({
  page,
  request,
}) => {
  const t = tamperedCapture();
  serve(t.text);
  const names = new RegExp(
    `${t.where.replace(/[[\]".]/g, '\\$&')}: sha256 mismatch in ${t.capture}: the file records [0-9a-f]{64}, its stdout hashes to [0-9a-f]{64}`,
  );
  for (const url of ['/', '/services', `/trace?${traceQuery()}`, `/nodes/${reachable[0]}`])
    await expectPageRefusal(page, url, names);
  for (const url of [
    '/api/services',
    `/api/trace?${traceQuery()}`,
    `/api/report?${traceQuery()}&format=json`,
    `/api/nodes/${reachable[0]}`,
  ]) {
    await expectApiRefusal(await request.get(`${server.baseURL}${url}`), names);
  }
});

test('truncated JSON is refused with the line and column where it breaks', async ({ page, request }) => {
  const text = truncatedJson();
  serve(text);
  const lines = text.split('\n');
  const at = new RegExp(`line ${lines.length} column ${lines.at(-1)!.length + 1}: invalid JSON`);
  await expectPageRefusal(page, '/services', at);
  await expectApiRefusal(await request.get(`${server.baseURL}/api/services`), at);
});

test('a wrong inner shape (api.services = [1,2,3]) is refused with the schema path, not a 500', async ({
  page,
  request,
}) => {
  serve(wrongInnerShape());
  const at = /api\.services\[0\]: not a kubepath snapshot/;
  await expectPageRefusal(page, '/', at);
  await expectApiRefusal(await request.get(`${server.baseURL}/api/services`), at);
  await expectApiRefusal(await request.get(`${server.baseURL}/api/trace?${traceQuery()}`), at);
});

test('the intact snapshot, written back, is served again', async ({ page, request }) => {
  serve(servedText());
  const res = await request.get(`${server.baseURL}/api/services`);
  expect(res.status()).toBe(200);
  expect(((await res.json()) as { services: unknown[] }).services.length).toBeGreaterThan(0);
  const p = await page.goto(`${server.baseURL}/`);
  expect(p?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cluster');
});

test('a console left open when the file goes bad: the next click shows the refusal, not a stale or blank page', async ({
  page,
}) => {
  serve(servedText());
  await page.goto(`${server.baseURL}/`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cluster');
  const t = tamperedCapture();
  serve(t.text);
  // A client-side navigation (RSC request) gets the 503 too; the router then loads the error page.
  await page.getByRole('link', { name: 'Services', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(`sha256 mismatch in ${t.capture}`);
  await expect(page.getByRole('alert')).toContainText('The snapshot cannot be served');
});
