/**
 * Bench section "trace": per-trace latency of the iptables tracer on kube-proxy dumps of 1k,
 * 10k and 50k services (3 endpoints each, NodePorts on every 4th service, large-cluster mode
 * as kube-proxy writes it above 1000 endpoints), written by testkit/kube-proxy-writer/iptables and
 * parsed by the real parser. Measures ClusterIP and NodePort traces with the chain index and,
 * for comparison, with a forced linear scan. Targets: p99 < 1 ms at 10k; 50k ≤ 1.5× the 1k cost.
 *
 * Run alone: node --import tsx bench/trace-bench.ts [--quick]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { buildKubeRules } from '@/testkit/kube-proxy-writer/iptables';
import type { KubeServicePort } from '@/testkit/kube-proxy-writer/iptables';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { traceIptables } from '@/lib/trace/netfilter/trace-iptables';
import type { Packet } from '@/lib/model/trace';
import type { TraceInputs } from '@/lib/model/trace-inputs';

export interface TraceBenchRow {
  services: number;
  rules: number;
  mode: 'indexed' | 'linear';
  kind: 'clusterIP' | 'nodePort';
  traces: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Same, in CPU time of this process (not inflated by other processes on a loaded machine). */
  cpuP50Ms: number;
  cpuP99Ms: number;
}

export interface TraceBenchResult {
  section: 'trace';
  rows: TraceBenchRow[];
  /** p99 at 10k services, indexed, ClusterIP (target < 1 ms). */
  p99At10kMs?: number;
  /** p50(50k) / p50(1k), indexed ClusterIP, CPU time (target ≤ 1.5; medians, because means and
   *  p99 wall times on a shared 2-core machine are dominated by other processes and GC). */
  ratio50kTo1k?: number;
  buildMs: Record<number, number>;
  parseMs: Record<number, number>;
  /** Building every chain's Rule objects (the parser builds them lazily on first access). */
  materializeMs: Record<number, number>;
  /** Machine load average when the section ran (p99 wall times are unreliable when it is high). */
  loadAverage: number[];
}

const ip = (i: number): string => `10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;

function services(n: number): KubeServicePort[] {
  return Array.from({ length: n }, (_, i) => ({
    ns: `ns${i % 50}`,
    name: `svc${i}`,
    portName: 'http',
    port: 80,
    targetPort: 8080,
    clusterIP: ip(i + 1),
    // NodePorts on every 4th service, from 30000 up (wrapping inside the default 30000-32767 range)
    nodePort: i % 4 === 0 ? 30000 + ((i / 4) % 2768) : undefined,
    endpoints: [0, 1, 2].map((k) => ({ ip: `10.${200 + k}.${(i >> 8) & 255}.${i & 255}` })),
  }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function measure(inputs: TraceInputs, packets: Packet[], indexMinRules: number) {
  for (let i = 0; i < Math.min(200, packets.length); i++) traceIptables(inputs, packets[i], { indexMinRules }); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const p of packets) {
    const c = process.cpuUsage();
    const s = performance.now();
    traceIptables(inputs, p, { indexMinRules });
    wall.push(performance.now() - s);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    p50: percentile(wall, 0.5),
    p99: percentile(wall, 0.99),
    mean: wall.reduce((a, b) => a + b, 0) / wall.length,
    cpuP50: percentile(cpu, 0.5),
    cpuP99: percentile(cpu, 0.99),
  };
}

export async function runTraceBench(
  opts: { quick?: boolean; log?: (s: string) => void } = {},
): Promise<TraceBenchResult> {
  const log = opts.log ?? ((s: string) => process.stdout.write(`${s}\n`));
  const sizes = opts.quick ? [1000, 10000] : [1000, 10000, 50000];
  const traces = opts.quick ? 500 : 2000;
  const res: TraceBenchResult = {
    section: 'trace',
    rows: [],
    buildMs: {},
    parseMs: {},
    materializeMs: {},
    loadAverage: (await import('node:os')).loadavg(),
  };
  for (const n of sizes) {
    let s = performance.now();
    const svcs = services(n);
    const text = buildKubeRules(svcs, { largeCluster: n * 3 > 1000, nodeIPs: ['192.168.0.2'] });
    res.buildMs[n] = performance.now() - s;
    s = performance.now();
    const dump = parseIptablesSave(text).value;
    res.parseMs[n] = performance.now() - s;
    s = performance.now();
    for (const t of Object.values(dump.tables)) for (const c of Object.values(t!.chains)) void c.rules.length;
    res.materializeMs[n] = performance.now() - s;
    const inputs: TraceInputs = { iptables: dump, localIPs: ['192.168.0.2'] };
    const rules = Object.values(dump.tables).reduce(
      (a, t) => a + Object.values(t!.chains).reduce((b, c) => b + c.rules.length, 0),
      0,
    );
    const pick = (k: number): number => Math.floor((((k * 2654435761) % 2 ** 32) / 2 ** 32) * n);
    const cip: Packet[] = Array.from({ length: traces }, (_, k) => ({
      src: '10.244.9.9',
      dst: svcs[pick(k)].clusterIP,
      port: 80,
      proto: 'tcp',
    }));
    const nps = svcs.filter((x) => x.nodePort);
    const np: Packet[] = Array.from({ length: traces }, (_, k) => ({
      src: '203.0.113.7',
      dst: '192.168.0.2',
      port: nps[pick(k) % nps.length].nodePort!,
      proto: 'tcp',
    }));
    const modes: ['indexed' | 'linear', number][] =
      n <= 10000
        ? [
            ['indexed', 64],
            ['linear', Infinity],
          ]
        : [['indexed', 64]];
    for (const [mode, min] of modes) {
      for (const [kind, packets] of [
        ['clusterIP', cip],
        ['nodePort', np],
      ] as const) {
        const m = measure(inputs, mode === 'linear' ? packets.slice(0, Math.min(300, packets.length)) : packets, min);
        const row: TraceBenchRow = {
          services: n,
          rules,
          mode,
          kind,
          traces: mode === 'linear' ? Math.min(300, packets.length) : packets.length,
          p50Ms: m.p50,
          p99Ms: m.p99,
          meanMs: m.mean,
          cpuP50Ms: m.cpuP50,
          cpuP99Ms: m.cpuP99,
        };
        res.rows.push(row);
        log(
          `trace ${String(n).padStart(6)} svcs ${String(rules).padStart(7)} rules ${mode.padEnd(7)} ${kind.padEnd(9)} p50 ${m.p50.toFixed(3)} ms  p99 ${m.p99.toFixed(3)} ms  mean ${m.mean.toFixed(3)} ms | cpu p50 ${m.cpuP50.toFixed(3)} p99 ${m.cpuP99.toFixed(3)} ms`,
        );
      }
    }
  }
  const get = (n: number) => res.rows.find((r) => r.services === n && r.mode === 'indexed' && r.kind === 'clusterIP');
  res.p99At10kMs = get(10000)?.p99Ms;
  const a = get(1000);
  const b = get(50000);
  if (a && b) res.ratio50kTo1k = b.cpuP50Ms / a.cpuP50Ms;
  log(
    `trace: build ${JSON.stringify(res.buildMs)} parse ${JSON.stringify(res.parseMs)} materialize ${JSON.stringify(res.materializeMs)} ms; load average ${res.loadAverage.map((x) => x.toFixed(1)).join(' ')}`,
  );
  log(
    `trace: p99 at 10k services = ${res.p99At10kMs?.toFixed(3)} ms (target < 1 ms)${res.ratio50kTo1k ? `; cpu p50 50k / 1k = ${res.ratio50kTo1k.toFixed(2)} (target ≤ 1.5)` : ''}`,
  );
  return res;
}

/** Section entry for bench/run.ts. */
export const section = { name: 'trace', run: runTraceBench };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runTraceBench({ quick: process.argv.includes('--quick') });
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
