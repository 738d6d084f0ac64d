import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { cliTrace, normalise } from './cli';
import { TracePage } from './pages/TracePage';
import {
  clusterIp,
  podOn,
  drift,
  dropCandidates,
  fanOut,
  nodePort,
  nodeWithPods,
  reachable,
  reject,
  toParams,
  unreachable,
} from './scenarios';

const shots = 'artifacts/screenshots';
/** The pod "Trace this ClusterIP" traces from: the first pod on the first collected node. */
const fromPod = podOn(reachable[0]);
mkdirSync(shots, { recursive: true });

test('overview lists nodes with proxy mode and shows an uncollected node as such', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cluster');
  await expect(page.getByRole('region', { name: `node ${reachable[0]}` })).toContainText('proxy mode:');
  if (unreachable) {
    const c = page.getByRole('region', { name: `node ${unreachable.name}` });
    await expect(c.getByTestId('node-error')).toContainText(unreachable.error!.kind);
    await expect(c).toContainText(unreachable.error!.message.slice(0, 40));
  }
  await page.screenshot({ path: `${shots}/overview.png`, fullPage: true });
});

test('search a Service, press "Trace this ClusterIP": the graph states what the CLI prints', async ({
  page,
  request,
}) => {
  test.skip(!clusterIp, 'snapshot has no ClusterIP Service with two ready endpoints');
  await page.goto('/services');
  await page.getByRole('searchbox', { name: 'Search Services' }).fill(clusterIp!.key);
  // The button traces from the pod picked above the list: the pod decides the node.
  await page.getByRole('combobox', { name: 'Trace from pod' }).selectOption(`pod:${fromPod.namespace}/${fromPod.name}`);
  const row = page.locator(`[data-service="${clusterIp!.key}"]`);
  await expect(row).toBeVisible();
  await page.screenshot({ path: `${shots}/services.png` });
  await row.getByRole('link', { name: /Trace this ClusterIP/ }).click();
  await expect(page).toHaveURL(new RegExp(`/trace\\?.*dst=${clusterIp!.service.clusterIPs[0].replace(/\./g, '\\.')}`));
  const url = new URL(page.url());
  const node = fromPod.nodeName!;
  const tp = new TracePage(page);
  await tp.waitForGraph(node);
  const ui = await tp.outcomes(node);
  // The source the button chose (the picked pod) resolved to its address and node by the API.
  const { question } = await (await request.get(`/api/trace?${url.searchParams}`)).json();
  const cli = cliTrace({
    node,
    src: question.packet.src,
    dst: question.packet.dst,
    port: question.packet.port,
    proto: question.packet.proto,
  });
  expect(cli.length).toBeGreaterThan(1);
  expect(normalise(ui)).toEqual(normalise(cli));
  for (const s of await tp.summaries(node)) expect(s).toMatch(new RegExp(`pod ${clusterIp!.service.namespace}/`));
  await page.screenshot({ path: `${shots}/trace-clusterip.png`, fullPage: true });
});

test('the pressed "Trace this ClusterIP" says it is tracing until the answer is drawn', async ({ page }) => {
  test.skip(!clusterIp, 'snapshot has no ClusterIP Service with two ready endpoints');
  await page.goto('/services');
  await page.getByRole('searchbox', { name: 'Search Services' }).fill(clusterIp!.key);
  // Hold the trace page's payload back so the wait is visible; it is then delivered unchanged.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(
    (url) => url.pathname === '/trace',
    async (route) => {
      await held;
      await route.continue();
    },
  );
  await page.getByRole('combobox', { name: 'Trace from pod' }).selectOption(`pod:${fromPod.namespace}/${fromPod.name}`);
  const link = page.locator(`[data-service="${clusterIp!.key}"]`).getByRole('link', { name: /Trace this ClusterIP/ });
  const node = fromPod.nodeName!;
  await expect(link.getByRole('status')).toHaveCount(0);
  await link.click();
  await expect(link.getByRole('status')).toHaveText(/tracing/);
  release();
  await new TracePage(page).waitForGraph(node);
});

test('NodePort from an outside address equals the CLI, with masquerade', async ({ page }) => {
  test.skip(!nodePort, 'snapshot has no NodePort Service with ETP=Cluster');
  await page.goto(`/trace?${toParams(nodePort!)}`);
  const tp = new TracePage(page);
  await tp.waitForGraph(nodePort!.node);
  const ui = await tp.outcomes(nodePort!.node);
  expect(normalise(ui)).toEqual(normalise(cliTrace(nodePort!)));
  expect(ui.some((o) => o.verdict === 'dnat' && o.masquerade)).toBe(true);
  await page.screenshot({ path: `${shots}/trace-nodeport.png`, fullPage: true });
});

/** The first ETP=Local question the engine answers with a DROP on this snapshot, if any. */
const drop = dropCandidates.find((c) => cliTrace(c.question).some((o) => o.verdict === 'drop'));

test('DROP (ETP=Local without local endpoints, or a host firewall) and REJECT (no endpoints) verdicts equal the CLI', async ({
  page,
}) => {
  test.skip(!drop && !reject, 'snapshot has neither case');
  const tp = new TracePage(page);
  for (const [c, verdict] of [
    [drop?.question, 'drop'],
    [reject, 'reject'],
  ] as const) {
    if (!c) continue;
    await page.goto(`/trace?${toParams(c)}`);
    await tp.waitForGraph(c.node);
    const ui = await tp.outcomes(c.node);
    expect(normalise(ui)).toEqual(normalise(cliTrace(c)));
    expect(ui.map((o) => o.verdict)).toContain(verdict);
    await page.screenshot({ path: `${shots}/trace-${verdict}.png`, fullPage: true });
  }
});

test('a large endpoint fan-out collapses into a group and expands', async ({ page }) => {
  test.skip(!fanOut, 'snapshot has no Service with more than 12 ready endpoints');
  const { question, count } = fanOut!;
  const tp = new TracePage(page);
  await page.goto(`/trace?${toParams(question)}`);
  await tp.waitForGraph(question.node);
  const graph = tp.graph(question.node);
  const collapsedNodes = Number(await graph.getAttribute('data-node-count'));
  await tp
    .lane(question.node)
    .getByRole('button', { name: `Expand ${count} endpoints` })
    .click();
  // Expanded, the group becomes a frame with one tile per endpoint (its KUBE-SEP chain folded in).
  await expect.poll(async () => Number(await graph.getAttribute('data-node-count'))).toBe(collapsedNodes + count);
  await page.screenshot({ path: `${shots}/trace-expanded.png`, fullPage: true });
  // A tile stands for its KUBE-SEP chain too: its rules are the statistic pick, the SEP's rules and the DNAT.
  const first = cliTrace(question).find((o) => o.verdict === 'dnat')!;
  await tp
    .lane(question.node)
    .getByText(/Chains and edges as text/)
    .click();
  const item = tp
    .lane(question.node)
    .getByRole('list', { name: `graph elements on ${question.node}` })
    .locator('li')
    .filter({ hasText: first.to! });
  await expect(item).toContainText(/KUBE-SEP-\w+ drawn inside/);
  await item.getByRole('button').click();
  const panel = page.getByTestId('rule-panel');
  await expect(panel).toContainText(`--to-destination ${first.to}`);
  await expect(panel).toContainText('-m statistic --mode random');
  await expect(panel).toContainText(/-A KUBE-SEP-\w+ /);
});

test('clicking a chain shows its exact rule lines with line numbers', async ({ page }) => {
  const c = reject ?? nodePort;
  test.skip(!c, 'snapshot has no question to trace');
  const tp = new TracePage(page);
  await page.goto(`/trace?${toParams(c!)}`);
  await tp.waitForGraph(c!.node);
  await tp
    .lane(c!.node)
    .getByText(/Chains and edges as text/)
    .click();
  await tp
    .lane(c!.node)
    .getByRole('list', { name: `graph elements on ${c!.node}` })
    .getByRole('button', { name: /KUBE-SERVICES/ })
    .first()
    .click();
  const panel = page.getByTestId('rule-panel');
  await expect(panel).toContainText('-A KUBE-SERVICES');
  await expect(panel.locator('td.line').first()).toHaveText(/^\d+$/);
  await page.screenshot({ path: `${shots}/trace-rules.png`, fullPage: true });
});

test('two nodes side by side for the same packet', async ({ page }) => {
  const pair = drop?.other ? drop : dropCandidates.find((c) => c.other);
  test.skip(!pair, 'snapshot has no ETP=Local Service with endpoints on one node and not another');
  const { question, other } = pair!;
  const tp = new TracePage(page);
  await page.goto(`/trace?${toParams({ ...question, node: other! })}&compare=${question.node}`);
  await tp.waitForGraph(other!);
  await tp.waitForGraph(question.node);
  expect(normalise(await tp.outcomes(other!))).toEqual(normalise(cliTrace({ ...question, node: other! })));
  expect(normalise(await tp.outcomes(question.node))).toEqual(normalise(cliTrace(question)));
  await page.screenshot({ path: `${shots}/trace-compare.png`, fullPage: true });
});

test('service detail flags API-vs-node drift where lib/snapshot/drift finds it', async ({ page }) => {
  test.skip(!drift, 'snapshot has no endpoint drift between the API and a node');
  const { key, portLabel, drifted, inSync, findings } = drift!;
  await page.goto(`/services/${key}`);
  const table = page.getByRole('table', { name: 'dataplane per node' });
  const row = (node: string) => table.locator(`tr[data-node="${node}"]`).filter({ hasText: portLabel });
  // The table traces each node's rules (lib/graph/service-drift); it must agree with the rule-level report.
  for (const d of drifted) {
    await expect(row(d.node)).toHaveAttribute('data-drift', 'true');
    for (const ep of d.missing) await expect(row(d.node).getByText(/missing on node:/)).toContainText(ep);
    for (const ep of d.stale) await expect(row(d.node).getByText(/stale on node:/)).toContainText(ep);
  }
  expect(inSync.length, 'a checked node that agrees with the API').toBeGreaterThan(0);
  for (const n of inSync) await expect(row(n)).toHaveAttribute('data-drift', 'false');
  const list = page.getByRole('list', { name: 'drift findings' }).locator(':scope > li');
  await expect(list).toHaveCount(findings.length);
  for (const [i, f] of findings.entries()) {
    await expect(list.nth(i)).toHaveAttribute('data-kind', f.kind);
    await expect(list.nth(i)).toHaveAttribute('data-node', f.node);
    await expect(list.nth(i)).toContainText(f.message);
    if (f.rule) await expect(list.nth(i)).toContainText(`line ${f.rule.line}:`);
  }
  await page.screenshot({ path: `${shots}/service-detail.png`, fullPage: true });
});

test('node view shows interfaces, pod netns with host-side veth, routes and raw captures; an uncollected node says so', async ({
  page,
}) => {
  test.skip(!nodeWithPods, 'snapshot has no node with pod netns captures');
  const n = nodeWithPods!;
  await page.goto(`/nodes/${n.name}`);
  await expect(
    page
      .getByRole('table', { name: `interfaces of ${n.name}` })
      .locator('tbody tr')
      .first(),
  ).toBeVisible();
  const p = n.pods![0].pod!;
  const pod = page.getByRole('region', { name: `pod ${p.namespace}/${p.name}` });
  await expect(pod.getByRole('table')).toBeVisible();
  await expect(pod).toContainText(/host side: \S+/);
  await expect(page.getByRole('table', { name: 'routes' }).locator('tbody tr').first()).toBeVisible();
  await expect(page.getByText(n.captures['iptables-save']?.command ?? 'iptables-save').first()).toBeVisible();
  await page.screenshot({ path: `${shots}/node.png`, fullPage: true });
  if (unreachable) {
    await page.goto(`/nodes/${unreachable.name}`);
    await expect(page.getByRole('alert').filter({ hasText: unreachable.error!.kind })).toBeVisible();
  }
});

test('bad questions get a clear message on the page and a 4xx with the reason from the API', async ({
  page,
  request,
}) => {
  const n = reachable[0];
  const cases: { q: string; status: number; text: RegExp }[] = [
    { q: `node=${n}&src=node:${n}&dst=not-an-ip&port=80`, status: 400, text: /not an IP address/ },
    { q: `node=${n}&src=node:${n}&dst=10.96.0.1&port=70000`, status: 400, text: /port must be 1-65535/ },
    {
      q: `node=${n}&src=10.0.0.1&dst=10.96.0.1&port=80&proto=icmp`,
      status: 400,
      text: /proto must be tcp, udp or sctp/,
    },
    { q: 'node=nope&src=10.0.0.1&dst=10.96.0.1&port=80', status: 404, text: /unknown node "nope"/ },
    { q: 'src=pod:default/nope&dst=10.96.0.1&port=80', status: 404, text: /unknown pod "default\/nope"/ },
    ...(unreachable
      ? [
          {
            q: `node=${unreachable.name}&src=10.0.0.1&dst=10.96.0.1&port=80`,
            status: 502,
            text: new RegExp(`${unreachable.name} was not collected`),
          },
        ]
      : []),
  ];
  for (const c of cases) {
    const res = await request.get(`/api/trace?${c.q}`);
    expect(res.status(), c.q).toBe(c.status);
    expect((await res.json()).error.message).toMatch(c.text);
    await page.goto(`/trace?${c.q}`);
    await expect(page.getByRole('alert').filter({ hasText: c.text })).toBeVisible();
    await expect(page.locator('[data-testid="trace-graph"]')).toHaveCount(0);
    if (c.status === 502) await page.screenshot({ path: `${shots}/trace-error.png`, fullPage: true });
  }
  expect((await request.get('/services/default/does-not-exist-xyz')).status()).toBe(404);
});
