/** The shared PDF renderer's bounds, with the real Chromium: one browser, N at a time, a refused overflow, a timeout. */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { PdfBusyError, PdfRenderer, PdfTimeoutError, chromiumPath, pdfQueueOptions } from './render-pdf';

const haveChromium = existsSync(chromiumPath());
const html = (n: number) => `<!doctype html><h1>report ${n}</h1>`;

describe.skipIf(!haveChromium)('report > PDF queue (real Chromium)', () => {
  let r: PdfRenderer | undefined;
  afterEach(async () => r?.close());

  it('renders through one browser, at most `concurrency` at a time, and refuses beyond the queue with a Retry-After', async () => {
    r = new PdfRenderer({ concurrency: 1, maxQueued: 2, timeoutMs: 60_000, idleMs: 60_000 });
    let peak = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, async (_, i) => {
        const p = r!.render(html(i));
        peak = Math.max(peak, r!.stats().running);
        return p;
      }),
    );
    const ok = results.filter((x) => x.status === 'fulfilled');
    const refused = results.flatMap((x) => (x.status === 'rejected' ? [x.reason] : []));
    expect(ok).toHaveLength(3); // one running + two waiting
    expect(refused).toHaveLength(2);
    for (const e of refused) {
      expect(e).toBeInstanceOf(PdfBusyError);
      expect((e as PdfBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect(peak).toBe(1);
    for (const x of ok)
      expect((x as PromiseFulfilledResult<{ pdf: Buffer }>).value.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.stats()).toMatchObject({ launches: 1, renders: 3, refused: 2, running: 0, queued: 0 });
    // The waiting renders waited: their queue time is at least the render time of the one ahead.
    const timings = ok.map(
      (x) => (x as PromiseFulfilledResult<{ timing: { queuedMs: number; renderMs: number } }>).value.timing,
    );
    expect(timings[2].queuedMs).toBeGreaterThanOrEqual(timings[0].renderMs);
  }, 120_000);

  it('renders that start together share one browser launch', async () => {
    r = new PdfRenderer({ concurrency: 3, maxQueued: 0, timeoutMs: 60_000, idleMs: 60_000 });
    const out = await Promise.all([r.render(html(1)), r.render(html(2)), r.render(html(3))]);
    expect(out).toHaveLength(3);
    expect(r.stats()).toMatchObject({ launches: 1, renders: 3 });
  }, 120_000);

  it('stops a render that outlives its timeout and frees its slot', async () => {
    r = new PdfRenderer({ concurrency: 1, maxQueued: 0, timeoutMs: 100, idleMs: 60_000 });
    // 40k table rows take Chromium seconds to lay out and print, far beyond 100 ms.
    const huge = `<table>${'<tr><td>x</td><td>y</td><td>z</td></tr>'.repeat(40_000)}</table>`;
    await expect(r.render(huge)).rejects.toBeInstanceOf(PdfTimeoutError);
    expect(r.stats()).toMatchObject({ running: 0, queued: 0 });
  }, 120_000);

  it('reads its bounds from the environment and refuses nonsense', () => {
    expect(pdfQueueOptions({})).toEqual({ concurrency: 2, maxQueued: 6, timeoutMs: 20_000, idleMs: 30_000 });
    expect(pdfQueueOptions({ KUBEPATH_PDF_CONCURRENCY: '4' }).concurrency).toBe(4);
    expect(() => pdfQueueOptions({ KUBEPATH_PDF_CONCURRENCY: '0' })).toThrow(/KUBEPATH_PDF_CONCURRENCY/);
    expect(() => pdfQueueOptions({ KUBEPATH_PDF_CONCURRENCY: '2x' })).toThrow(/KUBEPATH_PDF_CONCURRENCY/);
  });
});
