/**
 * Console bench, measured in the real Debian Chromium against `next start` (needs a build and root):
 *  - click "Trace this ClusterIP" → graph drawn (data-graph-ready) on a 10k-Service snapshot
 *  - layout + first paint of a 500-endpoint trace (fan-out expanded)
 *  - Service list filtering at 10k, per keystroke (input event → the list shows that text's result → next frame)
 * `node --import tsx bench/ui-bench.ts [services]`; bench/run.ts calls runUiBench().
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { BIG_SERVICE, SMALL_FANOUT, buildUiSnapshot } from './ui-snapshot';

export interface UiBenchResult {
  name: string;
  samples: number[];
  unit: 'ms';
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)],
    p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))],
    max: s[s.length - 1],
  };
};

/**
 * In-page timer: from the `click` event (its timeStamp, on the page's clock) to the moment the
 * graph hook says ready with more than `minNodes` nodes, plus the rest of that frame (a task queued
 * from there runs after the frame's paint work). Unlike the wall clock around `locator.click()` it
 * leaves out Playwright's actionability checks and polling; it survives the console's client-side
 * navigation (same document). Returns undefined when the document was replaced.
 */
async function armClickTimer(page: Page, minNodes: number): Promise<void> {
  await page.evaluate((min) => {
    const w = window as unknown as { __kpTimer?: { click?: number; drawn?: number } };
    const t: { click?: number; drawn?: number } = (w.__kpTimer = {});
    document.addEventListener(
      'click',
      (e) => {
        t.click ??= e.timeStamp;
      },
      { capture: true, once: true },
    );
    const mo = new MutationObserver(() => {
      const g = document.querySelector('[data-testid="trace-graph"][data-graph-ready="true"]');
      if (t.click === undefined || !g || Number(g.getAttribute('data-node-count')) <= min) return;
      mo.disconnect();
      setTimeout(() => {
        t.drawn = performance.now();
      }, 0);
    });
    mo.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-graph-ready', 'data-node-count'],
    });
  }, minNodes);
}

async function readClickTimer(page: Page): Promise<number | undefined> {
  const ok = await page
    .waitForFunction(
      () => (window as unknown as { __kpTimer?: { drawn?: number } }).__kpTimer?.drawn !== undefined,
      undefined,
      { timeout: 5_000 },
    )
    .then(
      () => true,
      () => false,
    );
  // A full page load in between (not the console's client-side navigation) leaves no timer.
  if (!ok) return undefined;
  return page.evaluate(() => {
    const t = (window as unknown as { __kpTimer: { click: number; drawn: number } }).__kpTimer;
    return t.drawn - t.click;
  });
}

async function waitHttp(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer ${url}`);
}

export async function runUiBench(services = 10_000): Promise<UiBenchResult[]> {
  if (!existsSync('.next/BUILD_ID'))
    throw new Error('ui bench: no production build (.next/BUILD_ID); run `npx next build` first');
  const out = path.resolve('bench/out');
  mkdirSync(out, { recursive: true });
  const snapPath = path.join(out, `ui-${services}.json`);
  writeFileSync(snapPath, JSON.stringify(buildUiSnapshot(services, path.resolve('demo/provisional-snapshot.json'))));
  const port = Number(
    execFileSync(
      process.execPath,
      [
        '-e',
        "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
      ],
      { encoding: 'utf8' },
    ).trim(),
  );
  const server = spawn('npx', ['next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, KUBEPATH_SNAPSHOT: snapPath, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const results: UiBenchResult[] = [];
  try {
    await waitHttp(`${base}/api/services`, 60_000);
    // Warm the server: the first trace parses the 10k-Service iptables-save once per process.
    // The trace page computes its trace while rendering; in the built server the page and the API
    // route are separate bundles with separate parse caches, so both are warmed.
    await fetch(`${base}/api/trace?node=node-a&src=node:node-a&dst=${BIG_SERVICE.clusterIP}&port=80`);
    await fetch(`${base}/trace?node=node-a&src=node:node-a&dst=${BIG_SERVICE.clusterIP}&port=80&proto=tcp`);
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const click: number[] = [];
    const clickInPage: number[] = [];
    for (let i = 0; i < 7; i++) {
      const n = (1000 + i * 997) % services;
      const name = `svc-${n}`;
      // "Trace this ClusterIP" traces from the source picked above the list (node-a itself, as before).
      await page.goto(`${base}/services?from=node:node-a`);
      await page.getByRole('searchbox', { name: 'Search Services' }).fill(`${name} `);
      const link = page
        .locator(`[data-service="ns-${n % 50}/${name}"]`)
        .getByRole('link', { name: /Trace this ClusterIP/ });
      await link.waitFor();
      await armClickTimer(page, 0);
      const t0 = performance.now();
      await link.click();
      await page
        .locator('[data-lane-graph="node-a"] [data-testid="trace-graph"][data-graph-ready="true"]')
        .waitFor({ timeout: 60_000 });
      click.push(performance.now() - t0);
      const inPage = await readClickTimer(page);
      if (inPage !== undefined) clickInPage.push(inPage);
    }
    results.push({ name: `click → drawn graph, ${services} Services`, samples: click, unit: 'ms' });
    results.push({ name: `  same, in-page (click event → frame drawn)`, samples: clickInPage, unit: 'ms' });
    // Expanding a fan-out: from the click on "Expand N endpoints" to the frame with its N tiles drawn.
    const expand = async (svc: typeof BIG_SERVICE, count: number, label: string, withPhases: boolean) => {
      const wall: number[] = [];
      const inPageMs: number[] = [];
      const phases: Record<string, number[]> = {};
      for (let i = 0; i < 5; i++) {
        await page.goto(`${base}/trace?node=node-a&src=node:node-a&dst=${svc.clusterIP}&port=${svc.port}&proto=tcp`);
        // node-a's own lane (a trace whose endpoints sit on other nodes has a lane per node).
        const graph = page.locator('[data-lane-graph="node-a"] [data-testid="trace-graph"][data-graph-ready="true"]');
        await graph.waitFor({ timeout: 60_000 });
        const collapsed = Number(await graph.getAttribute('data-node-count'));
        await armClickTimer(page, collapsed);
        const t0 = performance.now();
        await page
          .locator('[data-lane-graph="node-a"]')
          .getByRole('button', { name: `Expand ${count} endpoints` })
          .click();
        // Expanded, the group box becomes a frame holding one tile per endpoint.
        await page.waitForFunction(
          (want) => {
            const g = document.querySelector('[data-lane-graph="node-a"] [data-testid="trace-graph"]');
            return g?.getAttribute('data-graph-ready') === 'true' && Number(g.getAttribute('data-node-count')) === want;
          },
          collapsed + count,
          { timeout: 120_000 },
        );
        wall.push(performance.now() - t0);
        const inPage = await readClickTimer(page);
        if (inPage !== undefined) inPageMs.push(inPage);
        // The canvas's own phases of that draw (performance.measure entries it records).
        const measures = await page.evaluate(() =>
          performance
            .getEntriesByType('measure')
            .filter((m) => m.name.startsWith('kp:graph:'))
            .slice(-3)
            .map((m) => [m.name, m.duration] as const),
        );
        for (const [name, ms] of measures) (phases[name] ??= []).push(ms);
      }
      results.push({ name: label, samples: wall, unit: 'ms' });
      results.push({ name: '  same, in-page (click event → frame drawn)', samples: inPageMs, unit: 'ms' });
      if (withPhases)
        for (const [name, samples] of Object.entries(phases))
          results.push({ name: `    of which ${name.slice('kp:graph:'.length)}`, samples, unit: 'ms' });
    };
    await expand(BIG_SERVICE, 500, 'layout + first paint, 500-endpoint trace (expanded)', true);
    await expand(SMALL_FANOUT, 16, 'layout + first paint, 16-endpoint trace (expanded)', false);
    await page.goto(`${base}/services`);
    await page.getByRole('searchbox', { name: 'Search Services' }).waitFor();
    const keys: number[] = [];
    for (const text of [
      's',
      'sv',
      'svc',
      'svc-',
      'svc-1',
      'svc-12',
      'svc-123',
      'svc-12',
      'svc-1',
      'svc-',
      'ns-4',
      'ns-42 svc-9',
    ]) {
      keys.push(
        await page.evaluate(async (value) => {
          const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
          const t0 = performance.now();
          setter.call(input, value);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          // Done when the list shows this text's result (the list may render in a deferred
          // transition after the input), then the rest of that frame.
          const list = document.querySelector('[role="table"][aria-label="Services"]')!;
          while (list.getAttribute('data-filter-text') !== value) await new Promise((r) => requestAnimationFrame(r));
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          return performance.now() - t0;
        }, text),
      );
    }
    results.push({ name: `Service list filter per keystroke, ${services} Services`, samples: keys, unit: 'ms' });
  } finally {
    await browser.close();
    try {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already exited (its exit is reported by waitHttp)
    }
  }
  return results;
}

export function formatUiBench(results: UiBenchResult[]): string {
  return results
    .map((r) => {
      if (!r.samples.length) return `${r.name.padEnd(58)} no samples`;
      const s = stats(r.samples);
      return `${r.name.padEnd(58)} median ${s.median.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (n=${r.samples.length})`;
    })
    .join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10_000);
  runUiBench(n)
    .then((r) => console.log(formatUiBench(r)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}

/** `a` against its baseline `b`, measured in the same run: medians and their ratio. */
function ratioLine(label: string, a: UiBenchResult | undefined, b: UiBenchResult | undefined): string {
  if (!a?.samples.length || !b?.samples.length) return `${label.padEnd(58)} no samples`;
  const ma = stats(a.samples).median;
  const mb = stats(b.samples).median;
  return `${label.padEnd(58)} median ${ma.toFixed(1)} / ${mb.toFixed(1)} ms = ${(ma / mb).toFixed(2)}×`;
}

/**
 * The figures against baselines from the same run: the click and the filter at N Services against
 * the same at 100 Services (what the size costs), the 500-endpoint expansion against a 16-endpoint one.
 */
export function formatUiRatios(big: UiBenchResult[], small: UiBenchResult[], services: number): string {
  const at = (rs: UiBenchResult[], prefix: string, nth = 0) => rs.filter((r) => r.name.startsWith(prefix))[nth];
  const inPage = (rs: UiBenchResult[], prefix: string) => rs[rs.findIndex((r) => r.name.startsWith(prefix)) + 1];
  return [
    ratioLine(`click → drawn graph, ${services} vs 100 Services`, at(big, 'click → drawn'), at(small, 'click → drawn')),
    ratioLine('  same, in-page', inPage(big, 'click → drawn'), inPage(small, 'click → drawn')),
    ratioLine(
      '500- vs 16-endpoint expansion (layout + first paint)',
      at(big, 'layout + first paint, 500'),
      at(big, 'layout + first paint, 16'),
    ),
    ratioLine('  same, in-page', inPage(big, 'layout + first paint, 500'), inPage(big, 'layout + first paint, 16')),
    ratioLine(
      `filter per keystroke, ${services} vs 100 Services`,
      at(big, 'Service list filter'),
      at(small, 'Service list filter'),
    ),
  ].join('\n');
}

/** bench/run.ts section: needs root (netns for the snapshot capture) and a production build. */
export const section = {
  name: 'ui',
  header:
    'Console in Debian Chromium against next start (click → drawn graph, 500-endpoint layout, list filter per keystroke)',
  async run(opts: { quick?: boolean; log?: (s: string) => void }): Promise<unknown> {
    const log = opts.log ?? console.log;
    if (process.getuid?.() !== 0)
      return (
        log('skipped: needs root (the bench snapshot is captured in a network namespace)'),
        { skipped: 'not root' }
      );
    if (!existsSync('.next/BUILD_ID'))
      return (log('skipped: no production build; run `npx next build` first'), { skipped: 'no build' });
    const services = opts.quick ? 2000 : 10_000;
    const baseline = await runUiBench(100);
    const results = await runUiBench(services);
    log(formatUiBench(results));
    log('\nagainst baselines measured in this run:');
    log(formatUiRatios(results, baseline, services));
    const json = (rs: UiBenchResult[]) =>
      rs.map((r) => ({ name: r.name, unit: r.unit, ...stats(r.samples), samples: r.samples }));
    return { services, results: json(results), baseline100: json(baseline) };
  },
};
