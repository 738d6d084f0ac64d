/**
 * PDF export: the HTML report printed by headless Chromium (Debian's /usr/bin/chromium; Playwright
 * never downloads a browser here). Every network request from the page is aborted, so the PDF shows
 * exactly what the offline HTML shows.
 */
import { renderHtml } from './render-html';
import type { IncidentReport } from '@/lib/model/report';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.KUBEPATH_CHROMIUM ?? '/usr/bin/chromium';
}

export async function renderPdf(report: IncidentReport): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(renderHtml(report), { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, landscape: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
  } finally {
    await browser.close();
  }
}
