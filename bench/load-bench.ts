/**
 * Bench section "load": the console under load, against `next start` (needs a production build and
 * root for the 10k snapshot's netns round trip, bench/ui-snapshot.ts).
 *  - 10 and 50 connections for a fixed time on /api/trace, /api/services and the /trace page, on the
 *    demo snapshot, on 100 and on 10k Services; each 10k figure is printed as a ratio to the demo's and
 *    to the 100-Service one's, measured in the same run. The traced Service has the same number of endpoints on both
 *    (a same-size answer), so the ratio shows what cluster size alone costs.
 *  - the server's RSS at start, after the load, and after idling;
 *  - the node page's size (default and a later page of lines);
 *  - PDF export: 8 parallel distinct exports (how many browsers ran, each duration against the time
 *    the queue says it waited and rendered), then a burst beyond the queue (429 + Retry-After), then
 *    8 identical ones (the cache).
 * The load generator is plain node:http with a keep-alive agent of N sockets and N request loops.
 * `node --import tsx bench/load-bench.ts [--quick]`; bench/run.ts runs it as section "load".
 */
import http from 'node:http';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { buildUiSnapshot } from './ui-snapshot';
import type { BenchOptions } from './section';

interface LoadResult {
  requests: number;
  errors: number;
  non2xx: number;
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
  /** Server CPU (user+sys) per answer: less swayed by other load on the machine than req/s. */ cpuMsPerRequest?: number;
}

function freePort(): number {
  return Number(
    execFileSync(
      process.execPath,
      [
        '-e',
        "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
      ],
      { encoding: 'utf8' },
    ).trim(),
  );
}

/** Every process under `pid` (the server's process group as started), by walking /proc. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent)
      if (pp === p) {
        out.push(c);
        walk(c);
      }
  };
  walk(pid);
  return out;
}

const parentOf = (pid: number) => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
};
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};
const rssMb = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

/** CPU time (user+sys, ms) the Node server processes have used so far. */
function serverCpuMs(root: number): number {
  return [root, ...descendants(root)]
    .filter((p) => !/chrom/.test(cmdline(p)))
    .reduce((a, p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return a + (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime (fields 14 and 15)
      } catch {
        return a;
      }
    }, 0);
}

/** RSS of the Node server processes (Chromium, counted apart, is not the server's heap). */
function serverRss(root: number): number {
  return [root, ...descendants(root)].filter((p) => !/chrom/.test(cmdline(p))).reduce((a, p) => a + rssMb(p), 0);
}

function chromiumCount(root: number): { browsers: number; processes: number } {
  const chrome = descendants(root).filter((p) => /chrom/.test(cmdline(p)));
  // A browser is a Chromium process started by the server itself; renderers, GPU, zygotes are its children
  // (a child just forked still shows its parent's command line, so the command line cannot tell them apart).
  const set = new Set(chrome);
  return { browsers: chrome.filter((p) => !set.has(parentOf(p))).length, processes: chrome.length };
}

interface Server {
  base: string;
  proc: ChildProcess;
  stop(): void;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = freePort();
  const proc = spawn('npx', ['next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', KUBEPATH_KIOSK: '', KUBEPATH_AUTH: '', ...env },
    stdio: 'ignore',
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (
      await fetch(`${base}/api/services`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return {
        base,
        proc,
        stop: () => {
          try {
            process.kill(-proc.pid!, 'SIGTERM');
          } catch {
            /* gone */
          }
        },
      };
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    process.kill(-proc.pid!, 'SIGTERM');
  } catch {
    /* gone */
  }
  throw new Error(`next start did not answer at ${base}`);
}

/** N connections, each sending the next request when the last answer is read, for `ms`. */
async function load(base: string, target: string, connections: number, ms: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(target, base);
  const lat: number[] = [];
  let errors = 0,
    non2xx = 0,
    bytes = 0;
  const end = Date.now() + ms;
  const one = () =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      const req = http.get(url, { agent }, (res) => {
        res.on('data', (d: Buffer) => {
          bytes += d.length;
        });
        res.on('end', () => {
          lat.push(performance.now() - t);
          if ((res.statusCode ?? 0) >= 300) non2xx++;
          resolve();
        });
        res.on('error', () => {
          errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) await one();
    }),
  );
  const took = (Date.now() - started) / 1000;
  agent.destroy();
  const s = [...lat].sort((a, b) => a - b);
  return {
    requests: lat.length,
    errors,
    non2xx,
    rps: lat.length / took,
    p50: s[Math.floor(s.length / 2)] ?? 0,
    p99: s[Math.floor(s.length * 0.99)] ?? 0,
    bytes: lat.length ? bytes / lat.length : 0,
  };
}

/** A ClusterIP Service with exactly `n` ready endpoints (3: the demo has such Services, the 10k snapshot too), for a same-size answer. */
function traceTarget(snap: ClusterSnapshot, node: string, n = 3): string {
  const api = snap.api!;
  const ready = (ns: string, name: string) =>
    api.endpointSlices
      .filter((es) => es.namespace === ns && es.service === name)
      .flatMap((es) => es.endpoints)
      .filter((e) => e.ready).length;
  const svc = api.services.find(
    (s) =>
      s.type === 'ClusterIP' &&
      s.clusterIPs[0] &&
      s.clusterIPs[0] !== 'None' &&
      s.ports[0]?.protocol === 'TCP' &&
      ready(s.namespace, s.name) === n,
  );
  if (!svc) throw new Error(`no ClusterIP Service with ${n} ready endpoints in ${snap.cluster.name}`);
  return new URLSearchParams({
    node,
    src: `node:${node}`,
    dst: svc.clusterIPs[0],
    port: String(svc.ports[0].port),
    proto: 'tcp',
  }).toString();
}

const fmt = (x: number, d = 0) => x.toFixed(d);

export async function runLoadBench(opts: BenchOptions = {}) {
  const log = opts.log ?? ((s: string) => process.stdout.write(`${s}\n`));
  if (!existsSync('.next/BUILD_ID'))
    throw new Error('load bench: no production build (.next/BUILD_ID); run `npx next build` first');
  const ms = opts.quick ? 3_000 : 10_000;
  const out = path.resolve('bench/out');
  mkdirSync(out, { recursive: true });
  const demoPath = path.resolve(
    existsSync('demo/demo-snapshot.json') ? 'demo/demo-snapshot.json' : 'demo/provisional-snapshot.json',
  );
  // 100 and 10k Services through the real iptables round trip (root, a private netns), as the UI bench
  // does: the 100-Service one is the same generator's baseline (same rule shapes as the 10k one), the
  // demo the real-cluster baseline the issue asks for.
  const synthetic = (n: number) => {
    const file = path.join(out, `load-${n}.json`);
    writeFileSync(file, JSON.stringify(buildUiSnapshot(n, path.resolve('demo/provisional-snapshot.json'))));
    return file;
  };
  const snapshots = [
    { name: 'demo', file: demoPath },
    { name: '100', file: synthetic(100) },
    { name: '10k', file: synthetic(10_000) },
  ];
  const targets = (snap: ClusterSnapshot, node: string) => ({
    trace: `/api/trace?${traceTarget(snap, node)}`,
    services: '/api/services',
    'trace page': `/trace?${traceTarget(snap, node)}`,
  });
  const results: Record<string, Record<string, LoadResult>> = {};
  const rss: Record<string, { start: number; afterLoad: number; idle: number }> = {};
  const nodePage: Record<string, { defaultBytes: number; laterPageBytes: number }> = {};
  for (const s of snapshots) {
    const snap = JSON.parse(readFileSync(s.file, 'utf8')) as ClusterSnapshot;
    const node = snap.nodes.find((n) => !n.error)!.name;
    const server = await startServer({ KUBEPATH_SNAPSHOT: s.file });
    try {
      const t = targets(snap, node);
      // Warm: the first trace parses the node's rules once per bundle (page and API are separate bundles).
      for (const u of Object.values(t)) await fetch(`${server.base}${u}`).then((r) => r.arrayBuffer());
      const start = serverRss(server.proc.pid!);
      results[s.name] = {};
      for (const [name, u] of Object.entries(t)) {
        for (const c of [10, 50]) {
          const cpu0 = serverCpuMs(server.proc.pid!);
          const r = await load(server.base, u, c, ms);
          r.cpuMsPerRequest = (serverCpuMs(server.proc.pid!) - cpu0) / Math.max(1, r.requests);
          results[s.name][`${name} @${c}`] = r;
          log(
            `${s.name.padEnd(5)} ${`${name} @${c}`.padEnd(16)} ${fmt(r.rps).padStart(6)} req/s  server CPU ${fmt(r.cpuMsPerRequest, 2).padStart(6)} ms/answer  p50 ${fmt(r.p50, 1).padStart(6)} ms  p99 ${fmt(r.p99, 1).padStart(7)} ms  ${fmt(r.bytes / 1024, 1).padStart(7)} KiB/answer  errors ${r.errors}  non-2xx ${r.non2xx}`,
          );
        }
      }
      const afterLoad = serverRss(server.proc.pid!);
      await new Promise((r) => setTimeout(r, opts.quick ? 5_000 : 15_000));
      rss[s.name] = { start, afterLoad, idle: serverRss(server.proc.pid!) };
      log(
        `${s.name.padEnd(5)} RSS ${fmt(start)} MB at start → ${fmt(afterLoad)} MB after the load → ${fmt(rss[s.name].idle)} MB after idling`,
      );
      const size = async (u: string) => (await (await fetch(`${server.base}${u}`)).arrayBuffer()).byteLength;
      nodePage[s.name] = {
        defaultBytes: await size(`/nodes/${node}`),
        laterPageBytes: await size(`/nodes/${node}?capture=iptables-save&from=5001`),
      };
      log(
        `${s.name.padEnd(5)} node page /nodes/${node}: ${fmt(nodePage[s.name].defaultBytes / 1024, 1)} KiB (a later page of iptables-save: ${fmt(nodePage[s.name].laterPageBytes / 1024, 1)} KiB)`,
      );
    } finally {
      server.stop();
    }
  }
  for (const baseline of ['demo', '100']) {
    log(
      `\n10k Services vs ${baseline === 'demo' ? 'the demo' : '100 Services of the same generator'}, same run (slowdown = baseline req/s ÷ 10k req/s: 1.0 = cluster size costs nothing; the target is ≤ 1.5 for trace):`,
    );
    for (const k of Object.keys(results[baseline])) {
      const a = results[baseline][k],
        b = results['10k'][k];
      log(
        `  ${k.padEnd(16)} ${fmt(a.rps).padStart(6)} → ${fmt(b.rps).padStart(6)} req/s  slowdown ×${fmt(a.rps / b.rps, 2)}  server CPU/answer ×${fmt(b.cpuMsPerRequest! / a.cpuMsPerRequest!, 2)}  p50 ×${fmt(b.p50 / a.p50, 2)}  answer size ×${fmt(b.bytes / a.bytes, 2)}`,
      );
    }
  }
  const pdf = await pdfBench(demoPath, log);
  return { durationMs: ms, results, rss, nodePage, pdf };
}

async function pdfBench(snapshotFile: string, log: (s: string) => void) {
  const concurrency = 2;
  const server = await startServer({ KUBEPATH_SNAPSHOT: snapshotFile, KUBEPATH_PDF_CONCURRENCY: String(concurrency) });
  try {
    const snap = JSON.parse(readFileSync(snapshotFile, 'utf8')) as ClusterSnapshot;
    const node = snap.nodes.find((n) => !n.error)!.name;
    const q = new URLSearchParams(traceTarget(snap, node));
    const pdfUrl = (port: number) => {
      const p = new URLSearchParams(q);
      p.set('port', String(port));
      p.set('format', 'pdf');
      return `${server.base}/api/report?${p}`;
    };
    let peak = { browsers: 0, processes: 0 };
    const sampler = setInterval(() => {
      const c = chromiumCount(server.proc.pid!);
      peak = { browsers: Math.max(peak.browsers, c.browsers), processes: Math.max(peak.processes, c.processes) };
    }, 100);
    const burst = async (ports: number[]) =>
      Promise.all(
        ports.map(async (port) => {
          const t = performance.now();
          const res = await fetch(pdfUrl(port));
          const body = await res.arrayBuffer();
          const timing = Object.fromEntries(
            (res.headers.get('server-timing') ?? '')
              .split(',')
              .map((x) => /(\w+);dur=(\d+)/.exec(x.trim()))
              .filter(Boolean)
              .map((m) => [m![1], Number(m![2])]),
          );
          return {
            port,
            status: res.status,
            ms: performance.now() - t,
            queue: timing.queue ?? 0,
            render: timing.render ?? 0,
            retryAfter: res.headers.get('retry-after'),
            bytes: body.byteLength,
          };
        }),
      );
    // Warm the browser once, so the figures are the queue's, not Chromium's first launch.
    await burst([1]);
    peak = { browsers: 0, processes: 0 };
    const eight = await burst([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008]);
    const eightPeak = peak;
    const maxRender = Math.max(...eight.map((r) => r.render));
    const bound = Math.ceil(eight.length / concurrency) * maxRender;
    log(
      `\nPDF: 8 parallel distinct exports, KUBEPATH_PDF_CONCURRENCY=${concurrency}: at most ${eightPeak.browsers} browser(s), ${eightPeak.processes} Chromium processes`,
    );
    for (const r of eight)
      log(
        `  port ${r.port}: ${r.status} in ${fmt(r.ms)} ms = queued ${r.queue} ms + rendered ${r.render} ms (+${fmt(r.ms - r.queue - r.render)} ms outside the queue)`,
      );
    log(
      `  slowest ${fmt(Math.max(...eight.map((r) => r.ms)))} ms vs the queue's bound ⌈8/${concurrency}⌉ × slowest render = ${bound} ms`,
    );
    peak = { browsers: 0, processes: 0 };
    const twelve = await burst(Array.from({ length: 12 }, (_, i) => 2001 + i));
    const refused = twelve.filter((r) => r.status === 429);
    log(
      `PDF: 12 at once (2 rendering + 6 queued allowed): ${twelve.filter((r) => r.status === 200).length} served, ${refused.length} refused 429 (Retry-After ${[...new Set(refused.map((r) => r.retryAfter))].join(', ')} s), ${peak.browsers} browser(s)`,
    );
    const same = await burst(Array(8).fill(1001));
    log(
      `PDF: 8 identical (already rendered): ${same.filter((r) => r.status === 200).length} served, renders ${same.filter((r) => r.render > 0).length} (cache), slowest ${fmt(Math.max(...same.map((r) => r.ms)))} ms`,
    );
    clearInterval(sampler);
    return { concurrency, eight, eightPeak, bound, twelve, same };
  } finally {
    server.stop();
  }
}

export const section = { name: 'load', run: runLoadBench };

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runLoadBench({ quick: process.argv.includes('--quick') });
  writeFileSync(path.resolve('bench/out/load.json'), `${JSON.stringify(r, null, 2)}\n`);
}
