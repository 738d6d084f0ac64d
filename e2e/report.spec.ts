import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { cliTrace, normalise, servedSnapshotPath } from './cli';
import { clusterIp, nodeIp, reachable, type Question } from './scenarios';
import { parseReportJson } from '../lib/report/report-json';

const shots = 'artifacts/screenshots';
mkdirSync(shots, { recursive: true });

/** The trace on screen: the first collected node reaching a two-endpoint ClusterIP from its own address. */
const question: Question | undefined =
  clusterIp && nodeIp(reachable[0])
    ? {
        node: reachable[0],
        src: nodeIp(reachable[0])!,
        dst: clusterIp.service.clusterIPs[0],
        port: clusterIp.service.ports[0].port,
        proto: 'tcp',
      }
    : undefined;
const query = question && new URLSearchParams({ ...question, port: String(question.port) }).toString();
const EXT = { html: 'html', md: 'md', json: 'json', pdf: 'pdf' } as const;

test.describe('incident report export from the trace view', () => {
  test.skip(!question, 'snapshot has no ClusterIP Service with two ready endpoints');

  test('the export control offers four formats; each downloads a named file in its format with the same answer as the CLI', async ({
    page,
  }) => {
    await page.goto(`/trace?${query}`);
    await expect(
      page.locator(
        `[data-trace-node="${question!.node}"] [data-lane-graph="${question!.node}"] [data-testid="trace-graph"]`,
      ),
    ).toHaveAttribute('data-graph-ready', 'true');
    const control = page.getByRole('navigation', { name: 'Export incident report' });
    await expect(control.getByRole('link')).toHaveCount(4);
    await control.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/export-report.png`, fullPage: true });
    const cli = normalise(cliTrace(question!));
    // A step with a rule line number, to find in the human formats.
    const ref = parseReportJson(await (await page.request.get(`/api/report?${query}&format=json`)).text());
    const step = ref.trace!.outcomes[0].steps.find((st) => st.line > 0)!;
    for (const format of Object.keys(EXT) as (keyof typeof EXT)[]) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        control.locator(`a[data-format="${format}"]`).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^kubepath-report-[A-Za-z0-9._-]+-${question!.node}-[A-Za-z0-9._-]+\\.${EXT[format]}$`),
      );
      const body = readFileSync((await download.path())!);
      if (format === 'pdf') {
        expect(body.subarray(0, 5).toString()).toBe('%PDF-');
        continue;
      }
      const text = body.toString('utf8');
      if (format === 'json') {
        const report = parseReportJson(text);
        expect(report.createdBy).toBe('console user');
        expect(report.question).toMatchObject({
          kind: 'trace',
          node: question!.node,
          packet: { src: question!.src, dst: question!.dst, port: question!.port },
        });
        expect(
          normalise(
            report.trace!.outcomes.map((o) => ({
              verdict: o.verdict,
              to: o.to,
              probability: o.probability,
              masquerade: o.masquerade,
            })),
          ),
        ).toEqual(cli);
        expect(report.evidence.some((e) => e.node === question!.node && /^[0-9a-f]{64}$/.test(e.sha256))).toBe(true);
        expect(report.replay?.node.name).toBe(question!.node);
      } else {
        // Who, the question, raw rule lines with their line numbers, node status, digests.
        expect(text).toContain('console user');
        expect(text).toContain(question!.dst);
        expect(text).toMatch(/-A KUBE-SERVICES[^\n]*-d /);
        expect(text).toContain(format === 'md' ? `| ${step.line} |` : `<td>${step.line}</td>`);
        expect(text).toMatch(/[0-9a-f]{64}/);
        for (const n of reachable) expect(text).toContain(n);
      }
    }
  });

  test('the route sets content type, attachment disposition and refuses bad formats with a reason', async ({
    request,
  }) => {
    const types = {
      html: 'text/html; charset=utf-8',
      md: 'text/markdown; charset=utf-8',
      json: 'application/json',
      pdf: 'application/pdf',
    };
    for (const [format, type] of Object.entries(types)) {
      const res = await request.get(`/api/report?${query}&format=${format}`);
      expect(res.status(), format).toBe(200);
      expect(res.headers()['content-type']).toBe(type);
      expect(res.headers()['content-disposition']).toMatch(
        new RegExp(`^attachment; filename="kubepath-report-[A-Za-z0-9._-]+\\.${format}"$`),
      );
    }
    const bad = await request.get(`/api/report?${query}&format=exe`);
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.message).toMatch(/format must be one of html, md, json, pdf/);
    const badQuestion = await request.get(
      `/api/report?node=${question!.node}&src=${question!.src}&dst=nope&port=80&format=md`,
    );
    expect(badQuestion.status()).toBe(400);
    expect((await badQuestion.json()).error.message).toMatch(/not an IP address/);
  });
});

test.describe('incident report export from the DNS view', () => {
  const snapPods = JSON.parse(readFileSync(servedSnapshotPath(), 'utf8')).api.pods as {
    namespace: string;
    name: string;
    nodeName?: string;
    hostNetwork: boolean;
  }[];
  const pod = snapPods.find((p) => !p.hostNetwork && p.nodeName && reachable.includes(p.nodeName));
  const name = clusterIp?.service.name;
  test.skip(!pod || !name, 'snapshot has no pod on a collected node or no Service to resolve');

  test('exports the DNS explanation on screen as a DNS report', async ({ page }) => {
    const q = new URLSearchParams({ pod: `${pod!.namespace}/${pod!.name}`, name: name! }).toString();
    const api = await page.request.get(`/api/dns?${q}`);
    expect(api.status()).toBe(200);
    await page.goto(`/dns?${q}`);
    const control = page.getByRole('navigation', { name: 'Export incident report' });
    await expect(control.getByRole('link')).toHaveCount(4);
    await page.screenshot({ path: `${shots}/export-report-dns.png`, fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      control.locator('a[data-format="json"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^kubepath-dns-report-[A-Za-z0-9._-]+\.json$/);
    const report = parseReportJson(readFileSync((await download.path())!, 'utf8'));
    expect(report.question).toMatchObject({ kind: 'dns', pod: `${pod!.namespace}/${pod!.name}`, name });
    expect(report.createdBy).toBe('console user');
    // The report states the same addresses the API explained.
    expect((report.dns as { addresses: string[] }).addresses).toEqual((await api.json()).explanation.addresses);
  });
});
