import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { cliTrace, normalise } from './cli';
import { TracePage } from './pages/TracePage';

const shots = 'artifacts/screenshots';
mkdirSync(shots, { recursive: true });

test('overview lists nodes with proxy mode and shows the unreachable node as unreachable', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cluster');
  const a = page.getByRole('region', { name: 'node node-a' });
  await expect(a).toContainText('proxy mode: iptables');
  const c = page.getByRole('region', { name: 'node node-c' });
  await expect(c.getByTestId('node-error')).toContainText('unreachable');
  await expect(c).toContainText('ssh');
  await page.screenshot({ path: `${shots}/overview.png`, fullPage: true });
});

test('search a Service, press "Trace this ClusterIP": the graph states what the CLI prints', async ({ page }) => {
  await page.goto('/services');
  await page.getByRole('searchbox', { name: 'Search Services' }).fill('default/web');
  const row = page.locator('[data-service="default/web"]');
  await expect(row).toBeVisible();
  await expect(page.getByTestId('service-count')).toContainText('1 of');
  await page.screenshot({ path: `${shots}/services.png` });
  await row.getByRole('link', { name: /Trace this ClusterIP/ }).click();
  await expect(page).toHaveURL(/\/trace\?.*dst=10\.96\.10\.10/);
  const tp = new TracePage(page);
  await tp.waitForGraph('node-a');
  const ui = await tp.outcomes('node-a');
  const url = new URL(page.url());
  const nodeIp = '192.168.50.11';
  expect(url.searchParams.get('src')).toBe('node:node-a');
  const cli = cliTrace({ node: 'node-a', src: nodeIp, dst: '10.96.10.10', port: 80, proto: 'tcp' });
  expect(cli.length).toBeGreaterThan(0);
  expect(normalise(ui)).toEqual(normalise(cli));
  // Pods are named: every DNAT outcome of default/web reaches a web-* pod.
  for (const s of await tp.summaries('node-a')) expect(s).toMatch(/pod default\/web-/);
  await page.screenshot({ path: `${shots}/trace-clusterip.png`, fullPage: true });
});

test('NodePort from an outside address equals the CLI, with masquerade', async ({ page }) => {
  const q = { node: 'node-b', src: '198.51.100.7', dst: '192.168.50.12', port: 30080, proto: 'tcp' };
  await page.goto(`/trace?${new URLSearchParams({ ...q, port: String(q.port) })}`);
  const tp = new TracePage(page);
  await tp.waitForGraph('node-b');
  const ui = await tp.outcomes('node-b');
  expect(normalise(ui)).toEqual(normalise(cliTrace(q)));
  expect(ui.some((o) => o.verdict === 'dnat' && o.masquerade)).toBe(true);
  await page.screenshot({ path: `${shots}/trace-nodeport.png`, fullPage: true });
});

test('a DROP (ETP=Local LB without local endpoints) and a REJECT (no endpoints) show verdicts equal to the CLI', async ({ page }) => {
  const tp = new TracePage(page);
  const drop = { node: 'node-b', src: '198.51.100.7', dst: '203.0.113.10', port: 443, proto: 'tcp' };
  await page.goto(`/trace?${new URLSearchParams({ ...drop, port: String(drop.port) })}`);
  await tp.waitForGraph('node-b');
  expect(normalise(await tp.outcomes('node-b'))).toEqual(normalise(cliTrace(drop)));
  expect((await tp.outcomes('node-b')).map((o) => o.verdict)).toEqual(['drop']);
  await page.screenshot({ path: `${shots}/trace-drop.png`, fullPage: true });
  const rej = { node: 'node-a', src: '10.244.1.10', dst: '10.96.30.30', port: 80, proto: 'tcp' };
  await page.goto(`/trace?${new URLSearchParams({ ...rej, port: String(rej.port) })}`);
  await tp.waitForGraph('node-a');
  expect(normalise(await tp.outcomes('node-a'))).toEqual(normalise(cliTrace(rej)));
  expect((await tp.outcomes('node-a')).map((o) => o.verdict)).toEqual(['reject']);
});

test('clicking a chain shows its exact rule lines; a large fan-out collapses and expands', async ({ page }) => {
  const tp = new TracePage(page);
  await page.goto('/trace?node=node-a&src=pod%3Adefault%2Fweb-7d4b9c-x2x4q&dst=10.96.50.10&port=80&proto=tcp');
  await tp.waitForGraph('node-a');
  const graph = tp.graph('node-a');
  await expect(graph).toHaveAttribute('data-node-count', /\d+/);
  const collapsedNodes = Number(await graph.getAttribute('data-node-count'));
  await page.getByRole('button', { name: 'Expand 24 endpoints' }).click();
  await tp.waitForGraph('node-a');
  expect(Number(await graph.getAttribute('data-node-count'))).toBeGreaterThan(collapsedNodes + 24);
  await page.getByText(/Chains and edges as text/).click();
  await page.getByRole('list', { name: 'graph elements on node-a' }).getByRole('button', { name: /KUBE-SERVICES/ }).first().click();
  const panel = page.getByTestId('rule-panel');
  await expect(panel).toContainText('-A KUBE-SERVICES');
  await expect(panel.locator('td.line').first()).toHaveText(/^\d+$/);
  await page.screenshot({ path: `${shots}/trace-expanded.png`, fullPage: true });
});

test('two nodes side by side for the same packet', async ({ page }) => {
  const tp = new TracePage(page);
  await page.goto('/trace?node=node-a&src=198.51.100.7&dst=203.0.113.10&port=443&proto=tcp&compare=node-b');
  await tp.waitForGraph('node-a');
  await tp.waitForGraph('node-b');
  expect((await tp.outcomes('node-a')).some((o) => o.verdict === 'dnat')).toBe(true);
  expect((await tp.outcomes('node-b')).map((o) => o.verdict)).toEqual(['drop']);
  await page.screenshot({ path: `${shots}/trace-compare.png`, fullPage: true });
});

test('service detail flags API-vs-node drift', async ({ page }) => {
  await page.goto('/services/default/inventory');
  await expect(page.getByRole('table', { name: 'dataplane per node' }).locator('tr[data-node="node-b"]')).toHaveAttribute('data-drift', 'true');
  await expect(page.getByRole('table', { name: 'dataplane per node' }).locator('tr[data-node="node-a"]')).toHaveAttribute('data-drift', 'false');
  await expect(page.locator('tr[data-node="node-b"]')).toContainText('10.244.2.61:8080');
  await page.screenshot({ path: `${shots}/service-detail.png`, fullPage: true });
});

test('node view shows interfaces, pod netns with host-side veth, routes and raw captures; an unreachable node says so', async ({ page }) => {
  await page.goto('/nodes/node-a');
  await expect(page.getByRole('table', { name: 'interfaces of node-a' })).toContainText('192.168.50.11');
  const pod = page.getByRole('region', { name: 'pod default/web-7d4b9c-x2x4q' });
  await expect(pod).toContainText('10.244.1.10');
  await expect(pod).toContainText(/host side: cali[0-9a-f]+/);
  await expect(page.getByRole('table', { name: 'routes' })).toContainText('blackhole');
  await expect(page.getByText('iptables-save -c').first()).toBeVisible();
  await page.screenshot({ path: `${shots}/node.png`, fullPage: true });
  await page.goto('/nodes/node-c');
  await expect(page.getByRole('alert').filter({ hasText: 'unreachable' })).toContainText('ssh');
});

test('bad questions get a clear message on the page and a 4xx with the reason from the API', async ({ page, request }) => {
  const cases: { q: string; status: number; text: RegExp }[] = [
    { q: 'node=node-a&src=node:node-a&dst=not-an-ip&port=80', status: 400, text: /not an IP address/ },
    { q: 'node=node-a&src=node:node-a&dst=10.96.10.10&port=70000', status: 400, text: /port must be 1-65535/ },
    { q: 'node=nope&src=10.0.0.1&dst=10.96.10.10&port=80', status: 404, text: /unknown node "nope"/ },
    { q: 'src=pod:default/nope&dst=10.96.10.10&port=80', status: 404, text: /unknown pod "default\/nope"/ },
    { q: 'node=node-c&src=10.0.0.1&dst=10.96.10.10&port=80', status: 502, text: /node-c was not collected/ },
  ];
  for (const c of cases) {
    const res = await request.get(`/api/trace?${c.q}`);
    expect(res.status(), c.q).toBe(c.status);
    expect((await res.json()).error.message).toMatch(c.text);
    await page.goto(`/trace?${c.q}`);
    await expect(page.getByRole('alert').filter({ hasText: c.text })).toBeVisible();
    await expect(page.locator('[data-testid="trace-graph"]')).toHaveCount(0);
  }
  await page.goto('/trace?node=node-c&src=10.0.0.1&dst=10.96.10.10&port=80');
  await expect(page.getByRole('alert').filter({ hasText: 'Node unreachable' })).toBeVisible();
  await page.screenshot({ path: `${shots}/trace-error.png`, fullPage: true });
  expect((await request.get('/services/default/does-not-exist')).status()).toBe(404);
});
