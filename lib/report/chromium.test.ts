/**
 * The exported HTML and PDF as a person sees them: the HTML opened in real Chromium with the network
 * cut, the PDF rasterised by poppler's pdftoppm and checked as pictures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildTraceReport } from './build-report';
import { renderHtml } from './render-html';
import { CHROMIUM_ARGS, chromiumPath, renderPdf } from './render-pdf';
import { sampleSnapshot, sampleTrace } from '../../testkit/report-sample';
import { SAMPLE_SECRETS } from '@/testkit/sample-secrets';

const haveChromium = existsSync(chromiumPath());
const shots = path.resolve('artifacts/screenshots');
const report = () => {
  const trace = sampleTrace();
  return buildTraceReport({
    snapshot: sampleSnapshot(),
    node: 'node-a',
    packet: trace.packet,
    trace,
    createdBy: 'sre@example',
    now: new Date('2026-11-22T01:00:00Z'),
  });
};

/** Reads a binary PPM (P6) as written by pdftoppm and returns the share of non-white pixels. */
function inkShare(ppm: Buffer): number {
  const header = ppm.subarray(0, 64).toString('latin1').split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const start = ppm.length - w * h * 3;
  let ink = 0;
  for (let i = start; i < ppm.length; i += 3) if (ppm[i] + ppm[i + 1] + ppm[i + 2] < 600) ink++;
  return ink / (w * h);
}

describe.skipIf(!haveChromium)('report > in Chromium', () => {
  let browser: Browser;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-report-'));
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the HTML opens offline, makes no request, runs no script and shows the verdict and graph', async () => {
    const file = path.join(dir, 'report.html');
    writeFileSync(file, renderHtml(report()));
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`file://${file}`);
    expect(await page.locator('#summary').count()).toBe(1);
    expect(await page.locator('#summary').innerText()).toContain('DNAT to 2 endpoints');
    expect(await page.locator('svg[aria-label="trace graph"] rect').count()).toBeGreaterThan(3);
    expect(await page.locator('section.outcome').count()).toBe(3);
    // The hostile Service name is visible as text, and it never executed.
    expect(await page.locator('body').innerText()).toContain('<img src=x onerror="alert(1)">');
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    const body = await page.content();
    for (const s of Object.values(SAMPLE_SECRETS)) expect(body).not.toContain(s);
    await page.screenshot({ path: path.join(shots, 'report-html.png'), fullPage: true });
    await context.close();
  });

  it('the PDF rasterises to pages with content, and its text holds the verdict but no secret', async () => {
    const pdf = await renderPdf(report());
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    execFileSync('pdftoppm', ['-r', '40', file, path.join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.ppm'));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const first = inkShare(readFileSync(path.join(dir, pages.sort()[0])));
    expect(first).toBeGreaterThan(0.005); // not blank
    expect(first).toBeLessThan(0.6); // not a solid block
    const text = execFileSync('pdftotext', [file, '-']).toString();
    expect(text).toContain('DNAT to 2 endpoints');
    for (const s of Object.values(SAMPLE_SECRETS)) expect(text).not.toContain(s);
    execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', file, path.join(shots, 'report-pdf')]);
  });
});
