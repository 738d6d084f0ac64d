/**
 * PDF export: the HTML report printed by headless Chromium (Debian's /usr/bin/chromium; Playwright
 * never downloads a browser here). Every network request from the page is aborted, so the PDF shows
 * exactly what the offline HTML shows.
 *
 * Bounded: ONE browser per process, shared by every render (a fresh context each, so renders never
 * see each other), at most `concurrency` renders at a time (KUBEPATH_PDF_CONCURRENCY, default 2),
 * at most `maxQueued` waiting (KUBEPATH_PDF_QUEUE, default 6) beyond which a render is refused with
 * PdfBusyError (the route's 429 + Retry-After), and a per-render timeout (KUBEPATH_PDF_TIMEOUT_MS,
 * default 20 s). A browser per request once made 8 parallel exports start 73 Chromium processes.
 * The browser is closed after KUBEPATH_PDF_IDLE_MS (default 30 s) without a render.
 */
import type { Browser } from 'playwright-core';
import { renderHtml } from './render-html';
import type { IncidentReport } from '@/lib/model/report';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.KUBEPATH_CHROMIUM ?? '/usr/bin/chromium';
}

export interface PdfQueueOptions {
  concurrency: number;
  maxQueued: number;
  timeoutMs: number;
  idleMs: number;
}

function envInt(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^[0-9]+$/.test(v) || Number(v) < min) throw new Error(`${name} must be an integer ≥ ${min} (got "${v}")`);
  return Number(v);
}

export function pdfQueueOptions(env: Record<string, string | undefined> = process.env): PdfQueueOptions {
  return {
    concurrency: envInt(env, 'KUBEPATH_PDF_CONCURRENCY', 2, 1),
    maxQueued: envInt(env, 'KUBEPATH_PDF_QUEUE', 6, 0),
    timeoutMs: envInt(env, 'KUBEPATH_PDF_TIMEOUT_MS', 20_000, 100),
    idleMs: envInt(env, 'KUBEPATH_PDF_IDLE_MS', 30_000, 0),
  };
}

/** Refused because the queue is full; `retryAfterSeconds` is what the queue expects to need. */
export class PdfBusyError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    queued: number,
  ) {
    super(`PDF export is busy (${queued} waiting); try again in ${retryAfterSeconds} s`);
    this.name = 'PdfBusyError';
  }
}

export class PdfTimeoutError extends Error {
  constructor(ms: number) {
    super(`PDF rendering took longer than ${Math.round(ms / 1000)} s and was stopped`);
    this.name = 'PdfTimeoutError';
  }
}

/** What one render cost, for Server-Timing and the bench. */
export interface PdfTiming {
  queuedMs: number;
  renderMs: number;
}

export interface PdfStats {
  running: number;
  queued: number;
  /** Browsers launched by this renderer since the process started. */
  launches: number;
  renders: number;
  refused: number;
}

export class PdfRenderer {
  private browser?: Promise<Browser>;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private idleTimer?: ReturnType<typeof setTimeout>;
  private launches = 0;
  private renders = 0;
  private refused = 0;
  /** Recent render durations, for the Retry-After estimate. */
  private recent: number[] = [];

  constructor(readonly options: PdfQueueOptions) {}

  stats(): PdfStats {
    return {
      running: this.running,
      queued: this.waiting.length,
      launches: this.launches,
      renders: this.renders,
      refused: this.refused,
    };
  }

  /** Seconds until a slot is expected to be free for a new arrival. */
  retryAfterSeconds(): number {
    const avg = this.recent.length ? this.recent.reduce((a, b) => a + b, 0) / this.recent.length : 3000;
    const ahead = this.waiting.length + this.running;
    return Math.max(1, Math.ceil((Math.ceil(ahead / this.options.concurrency) * avg) / 1000));
  }

  async render(html: string): Promise<{ pdf: Buffer; timing: PdfTiming }> {
    const arrived = Date.now();
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.maxQueued) {
        this.refused++;
        throw new PdfBusyError(this.retryAfterSeconds(), this.waiting.length);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    // A slot handed over by release() was already counted there.
    else this.running++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const started = Date.now();
    try {
      const pdf = await this.print(html);
      this.renders++;
      const renderMs = Date.now() - started;
      this.recent = [...this.recent.slice(-9), renderMs];
      return { pdf, timing: { queuedMs: started - arrived, renderMs } };
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      next(); // the slot passes straight to the next waiter: running stays the same
      return;
    }
    this.running--;
    if (this.running === 0 && this.browser) {
      this.idleTimer = setTimeout(() => void this.close(), this.options.idleMs);
      this.idleTimer.unref?.();
    }
  }

  /**
   * The shared browser, launched once: the launch promise is stored before anything awaits, so two
   * renders starting together share one launch (they each launched a browser before).
   */
  private async getBrowser(): Promise<Browser> {
    const pending = (this.browser ??= this.launch());
    const b = await pending.catch((e: unknown) => {
      if (this.browser === pending) this.browser = undefined;
      throw e;
    });
    if (b.isConnected()) return b;
    if (this.browser === pending) this.browser = undefined; // crashed or closed: launch a new one, once
    return (this.browser ??= this.launch());
  }

  private async launch(): Promise<Browser> {
    const { chromium } = await import('playwright-core');
    this.launches++;
    return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  }

  private async print(html: string): Promise<Buffer> {
    const browser = await this.getBrowser();
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PdfTimeoutError(this.options.timeoutMs)), this.options.timeoutMs);
    });
    try {
      const work = (async () => {
        const page = await context.newPage();
        await page.route('**/*', (route) => route.abort());
        await page.setContent(html, { waitUntil: 'load' });
        return page.pdf({
          format: 'A4',
          printBackground: true,
          landscape: true,
          margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
        });
      })();
      work.catch(() => undefined); // a timed-out render still settles when its context closes
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      // A hung browser must not hold the slot forever: give the close 5 s, then drop the browser.
      let guard: ReturnType<typeof setTimeout> | undefined;
      const closed = await Promise.race([
        context.close().then(
          () => true,
          () => true,
        ),
        new Promise<false>((r) => {
          guard = setTimeout(() => r(false), 5000);
        }),
      ]);
      clearTimeout(guard); // else a one-shot caller (the CLI) waits out the 5 s before it can exit
      if (!closed) void this.close();
    }
  }

  /** Nothing running and nothing waiting. */
  idle(): boolean {
    return this.running === 0 && this.waiting.length === 0;
  }

  /** Closes the shared browser (idle, or at the end of a CLI run / test). */
  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b.catch(() => undefined))?.close().catch(() => undefined);
  }
}

let shared: PdfRenderer | undefined;

/** The process's one renderer, configured from the environment on first use. */
export function pdfRenderer(): PdfRenderer {
  return (shared ??= new PdfRenderer(pdfQueueOptions()));
}

/**
 * One PDF for a one-shot caller (the CLI, tests): the browser is closed once nothing else is
 * rendering, so the process can exit.
 */
export async function renderPdf(report: IncidentReport): Promise<Buffer> {
  const r = pdfRenderer();
  try {
    return (await r.render(renderHtml(report))).pdf;
  } finally {
    if (r.idle()) await r.close();
  }
}

/** One PDF for the server: the browser stays up for the next export (closed when idle). */
export async function renderPdfShared(report: IncidentReport): Promise<{ pdf: Buffer; timing: PdfTiming }> {
  return pdfRenderer().render(renderHtml(report));
}
