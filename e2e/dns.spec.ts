/**
 * "Resolve this name from this pod": the console's query list must equal what `kubepath dns --json`
 * prints for the same resolv.conf and objects (written from the served snapshot to temp files), the
 * ClusterIP answer must lead into the packet trace with the CLI's outcomes, and bad questions must
 * get a clear message and a 4xx. Questions are derived from whichever snapshot is served.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClusterSnapshot, NodeCapture } from '../lib/model/snapshot';
import type { PodModel } from '../lib/model/k8s';
import { endpointSlicesToKubectl, podsToKubectl, servicesToKubectl } from '../lib/server/dns/dns-kubectl';
import { cliTrace, normalise, servedSnapshotPath } from './cli';
import { TracePage } from './pages/TracePage';

const shots = 'artifacts/screenshots';
mkdirSync(shots, { recursive: true });
const snap = JSON.parse(readFileSync(servedSnapshotPath(), 'utf8')) as ClusterSnapshot;
const api = snap.api!;
const ok = (c?: { exitCode: number | null; error?: string }) => !!c && c.exitCode === 0 && !c.error;

/** A pod (not hostNetwork, with an IP) whose resolv.conf was captured on a collected node, with a routable ClusterIP Service in its namespace. */
const subject = (() => {
  for (const n of snap.nodes.filter((x) => !x.error)) {
    for (const c of n.pods ?? []) {
      const pod = c.pod && api.pods.find((p) => p.namespace === c.pod!.namespace && p.name === c.pod!.name);
      if (!pod || pod.hostNetwork || !pod.podIPs[0] || !ok(c.resolvConf) || pod.namespace === 'kube-system') continue;
      const svc = api.services.find(
        (s) =>
          s.namespace === pod.namespace &&
          s.type !== 'ExternalName' &&
          !!s.clusterIPs[0] &&
          s.clusterIPs[0] !== 'None' &&
          s.ports.length > 0,
      );
      if (svc) return { node: n, pod, resolvConf: c.resolvConf!.stdout, svc };
    }
  }
  return undefined;
})();

interface CliQuery {
  name: string;
  type: string;
  rcode: string;
  via: string;
  nameserver: string;
  answers: { type: string; data: string }[];
}
const key = (q: CliQuery) =>
  `${q.type} ${q.name} @${q.nameserver} ${q.rcode} [${q.via}] ${q.answers.map((a) => `${a.type} ${a.data}`).join(',')}`;

/** `kubepath dns --json` for the pod's resolv.conf and the snapshot's objects, via temp files. */
function cliDns(
  x: { node: NodeCapture; pod: PodModel; resolvConf: string },
  name: string,
  resolver: string,
): { status: string; addresses: string[]; queries: CliQuery[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kp-e2e-dns-'));
  try {
    const f = (n: string, text: string) => (writeFileSync(path.join(dir, n), text), path.join(dir, n));
    const args = [
      'bin/kubepath.mjs',
      'dns',
      '--json',
      '--name',
      name,
      '--resolver',
      resolver,
      '--client-ip',
      x.pod.podIPs[0],
      '--resolv-conf',
      f('resolv.conf', x.resolvConf),
      '--services',
      f('services.json', JSON.stringify(servicesToKubectl(api.services))),
      '--endpointslices',
      f('endpointslices.json', JSON.stringify(endpointSlicesToKubectl(api.endpointSlices))),
      '--pods',
      f('pods.json', JSON.stringify(podsToKubectl(api.pods))),
    ];
    if (api.corefile !== undefined) args.push('--corefile', f('Corefile', api.corefile));
    const nodeResolv = x.node.captures['resolv.conf'];
    if (ok(nodeResolv)) args.push('--node-resolv-conf', f('node-resolv.conf', nodeResolv!.stdout));
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    // Exit 3 = the name did not resolve (still a valid answer); anything else is a failure.
    if (r.status !== 0 && r.status !== 3) throw new Error(`kubepath dns exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function uiQueries(page: Page): Promise<CliQuery[]> {
  const items = page.getByRole('list', { name: 'DNS queries' }).locator(':scope > li');
  const out: CliQuery[] = [];
  for (let i = 0; i < (await items.count()); i++) {
    const li = items.nth(i);
    const attr = async (n: string) => (await li.getAttribute(n)) ?? '';
    const answers = (await attr('data-answers'))
      .split(',')
      .filter(Boolean)
      .map((a) => ({ type: a.split(' ')[0], data: a.split(' ')[1] }));
    out.push({
      name: await attr('data-name'),
      type: await attr('data-type'),
      rcode: await attr('data-rcode'),
      via: await attr('data-via'),
      nameserver: await attr('data-nameserver'),
      answers,
    });
  }
  return out;
}

const graph = (page: Page) => page.locator('[data-dns-graph] [data-testid="trace-graph"]');

test('open the DNS view for a pod, resolve a Service short name: the queries equal the CLI, and the ClusterIP answer leads into the trace', async ({
  page,
}) => {
  test.skip(!subject, 'snapshot has no pod with a captured resolv.conf and a ClusterIP Service in its namespace');
  const { node, pod, svc } = subject!;
  await page.goto(`/nodes/${node.name}`);
  await page
    .getByRole('region', { name: `pod ${pod.namespace}/${pod.name}` })
    .getByRole('link', { name: 'Resolve a name from this pod' })
    .click();
  await expect(page).toHaveURL(/\/dns\?pod=/);
  await page.getByLabel('Name to resolve').fill(svc.name);
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page).toHaveURL(new RegExp(`name=${svc.name}`));
  await expect(graph(page)).toHaveAttribute('data-graph-ready', 'true');
  await expect(page.getByRole('region', { name: 'pod resolv.conf' })).toHaveAttribute('data-resolv-source', 'captured');

  const cli = cliDns(subject!, svc.name, 'glibc');
  expect(cli.queries.length).toBeGreaterThan(0);
  expect((await uiQueries(page)).map(key)).toEqual(cli.queries.map(key));
  expect(cli.addresses).toContain(svc.clusterIPs[0]);
  await expect(page.getByRole('region', { name: 'answer' })).toContainText(svc.clusterIPs[0]);
  await expect(page.getByRole('complementary', { name: 'DNS findings' })).toBeVisible();
  await page.screenshot({ path: `${shots}/dns-clusterip.png`, fullPage: true });

  // One click from the ClusterIP answer into the packet trace: src = the pod itself (it decides the node), dst = the answer, the Service's first port.
  const p = svc.ports[0];
  await page
    .getByRole('link', { name: `Trace ${pod.podIPs[0]} → ${svc.clusterIPs[0]}:${p.port}/${p.protocol.toLowerCase()}` })
    .click();
  await expect(page).toHaveURL(/\/trace\?/);
  const url = new URL(page.url());
  expect(Object.fromEntries(url.searchParams)).toEqual({
    src: `pod:${pod.namespace}/${pod.name}`,
    dst: svc.clusterIPs[0],
    port: String(p.port),
    proto: p.protocol.toLowerCase(),
  });
  const tp = new TracePage(page);
  await tp.waitForGraph(node.name);
  const want = cliTrace({
    node: node.name,
    src: pod.podIPs[0],
    dst: svc.clusterIPs[0],
    port: p.port,
    proto: p.protocol.toLowerCase(),
  });
  expect(normalise(await tp.outcomes(node.name))).toEqual(normalise(want));
  await page.screenshot({ path: `${shots}/dns-to-trace.png`, fullPage: true });
});

test('an unknown name with the musl resolver walks the search list exactly as the CLI does', async ({ page }) => {
  test.skip(!subject, 'snapshot has no pod with a captured resolv.conf');
  const { pod } = subject!;
  const name = 'no-such-service-kp';
  await page.goto(`/dns?${new URLSearchParams({ pod: `${pod.namespace}/${pod.name}`, name, resolver: 'musl' })}`);
  await expect(graph(page)).toHaveAttribute('data-graph-ready', 'true');
  const cli = cliDns(subject!, name, 'musl');
  expect(cli.status).not.toBe('OK');
  expect((await uiQueries(page)).map(key)).toEqual(cli.queries.map(key));
  await expect(page.getByTestId('dns-status')).toHaveText(cli.status);
  await page.screenshot({ path: `${shots}/dns-nxdomain-musl.png`, fullPage: true });
});

/** The DNS misconfiguration case: a pod whose captured resolv.conf does not name the cluster DNS. */
const misconfigured = (() => {
  const kubeDns = api.services.find((s) => s.namespace === 'kube-system' && s.name === 'kube-dns')?.clusterIPs ?? [];
  for (const n of snap.nodes.filter((x) => !x.error)) {
    for (const c of n.pods ?? []) {
      const pod = c.pod && api.pods.find((p) => p.namespace === c.pod!.namespace && p.name === c.pod!.name);
      if (!pod || !pod.podIPs[0] || !ok(c.resolvConf) || pod.namespace === 'kube-system') continue;
      const ns = c
        .resolvConf!.stdout.split('\n')
        .filter((l) => l.startsWith('nameserver'))
        .map((l) => l.split(/\s+/)[1]);
      const svc = api.services.find(
        (s) => s.namespace === pod.namespace && s.type === 'ClusterIP' && s.clusterIPs[0] && s.clusterIPs[0] !== 'None',
      );
      if (ns.length && !ns.some((ip) => kubeDns.includes(ip)) && svc)
        return { node: n, pod, resolvConf: c.resolvConf!.stdout, svc };
    }
  }
  return undefined;
})();

test('a pod whose resolv.conf skips the cluster DNS: same queries as the CLI, and the finding says why the Service name fails', async ({
  page,
}) => {
  test.skip(!misconfigured, 'snapshot has no pod whose resolv.conf bypasses kube-dns');
  const { pod, svc } = misconfigured!;
  await page.goto(`/dns?${new URLSearchParams({ pod: `${pod.namespace}/${pod.name}`, name: svc.name })}`);
  await expect(graph(page)).toHaveAttribute('data-graph-ready', 'true');
  const cli = cliDns(misconfigured!, svc.name, 'glibc');
  expect((await uiQueries(page)).map(key)).toEqual(cli.queries.map(key));
  expect(cli.addresses).not.toContain(svc.clusterIPs[0]);
  await expect(
    page.getByRole('list', { name: 'findings' }).locator('li[data-finding="nameserver-not-cluster-dns"]'),
  ).toBeVisible();
  await page.screenshot({ path: `${shots}/dns-misconfigured.png`, fullPage: true });
});

test('bad questions: a clear message on the page and a 4xx with the reason from GET /api/dns', async ({
  page,
  request,
}) => {
  const known = subject
    ? `${subject.pod.namespace}/${subject.pod.name}`
    : `${api.pods[0].namespace}/${api.pods[0].name}`;
  const cases = [
    {
      q: { pod: 'default/no-such-pod-kp', name: 'kubernetes' },
      status: 404,
      text: /unknown pod "default\/no-such-pod-kp"/,
    },
    { q: { pod: known, name: 'a'.repeat(254) }, status: 400, text: /longer than 253 characters/ },
    { q: { pod: known, name: 'bad name' }, status: 400, text: /dot-separated labels/ },
    { q: { pod: known, name: '' }, status: 400, text: /name is required/ },
  ];
  for (const c of cases) {
    const qs = new URLSearchParams(c.q).toString();
    const res = await request.get(`/api/dns?${qs}`);
    expect(res.status(), qs).toBe(c.status);
    expect((await res.json()).error.message).toMatch(c.text);
    await page.goto(`/dns?${qs}`);
    await expect(page.getByRole('alert').filter({ hasText: c.text })).toBeVisible();
    await expect(page.locator('[data-dns-graph]')).toHaveCount(0);
    if (c.status === 404) await page.screenshot({ path: `${shots}/dns-unknown-pod.png`, fullPage: true });
  }
  // GET only: a POST never gets an explanation (refused by the CSRF/kiosk proxy or by the route, which has no POST handler).
  const post = await request.post(`/api/dns?pod=${known}&name=kubernetes`);
  expect([403, 405]).toContain(post.status());
});
