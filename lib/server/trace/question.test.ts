import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { handleTrace } from './trace-handler';
import { serviceDetail } from '../cluster/service-detail';
import { served } from '../snapshot/served';
import type { TraceResponse } from '../../wire/trace';
import { TraceResponseSchema } from '../../wire/trace';
import type { AppError } from '../../errors';

// The demo snapshot: captured from the real-cluster lab (node-1, node-2) plus the IPVS fixture node
// (node-3-ipvs), which has no Node object in the API: its address is only in its captures.
beforeAll(() => {
  process.env.KUBEPATH_SNAPSHOT = path.resolve(import.meta.dirname, '../../../demo/demo-snapshot.json');
});

const ok = (q: string): TraceResponse => {
  const r = handleTrace(new URLSearchParams(q));
  if (r.status !== 200) throw new Error(`${q}: ${r.status} ${(r.body as { error: AppError }).error.message}`);
  return r.body as TraceResponse;
};
const METRICS = 'dst=10.96.0.110&port=9090';

describe('the source decides the node', () => {
  it("a pod source is traced on its pod's node, with no what-if", () => {
    const b = ok(`src=pod:default/edge-2&${METRICS}`);
    expect(b.question).toMatchObject({
      node: 'node-2',
      nodes: ['node-2'],
      sourceNode: 'node-2',
      sourcePod: 'pod:default/edge-2',
      nodeReason: 'edge-2 runs on node-2',
    });
    expect(b.question.whatIf).toBeUndefined();
    expect(b.traces.map((t) => [t.node, t.whatIf])).toEqual([['node-2', undefined]]);
    expect(b.traces[0].result!.warnings.filter((w) => w.startsWith('what-if'))).toEqual([]);
  });

  it("forcing another node is a what-if, said in the question and in the answer's warnings", () => {
    const b = ok(`src=pod:default/edge-2&node=node-1&${METRICS}`);
    expect(b.question.node).toBe('node-1');
    expect(b.question.whatIf).toBe('edge-2 runs on node-2; simulating node-1');
    expect(b.traces[0].whatIf).toBe(b.question.whatIf);
    expect(b.traces[0].result!.warnings).toContain('what-if: edge-2 runs on node-2; simulating node-1');
  });

  it("a pod's IP is that pod: its node, its name", () => {
    const b = ok(`src=10.244.2.4&${METRICS}`);
    expect(b.question).toMatchObject({
      node: 'node-2',
      sourceKind: 'pod',
      sourcePod: 'pod:default/edge-2',
      sourceLabel: 'pod default/edge-2 (10.244.2.4)',
    });
  });

  it('a node source works on the IPVS node, whose address only its captures know', () => {
    const b = ok('src=node:node-3-ipvs&dst=10.96.0.100&port=80');
    expect(b.question).toMatchObject({ node: 'node-3-ipvs', sourceKind: 'node', packet: { src: '172.25.70.13' } });
    expect(b.traces[0].result!.mode).toBe('ipvs');
    expect(b.traces[0].result!.outcomes.length).toBeGreaterThan(0);
    // ... and a node's address as a source is that node.
    expect(ok('src=172.25.70.13&dst=10.96.0.100&port=80').question).toMatchObject({
      node: 'node-3-ipvs',
      sourceKind: 'node',
      sourceNode: 'node-3-ipvs',
    });
  });

  it('compare traces the same question on a second node, which is a what-if for a pod source', () => {
    const b = ok(`src=pod:default/edge-2&compare=node-1&${METRICS}`);
    expect(b.traces.map((t) => [t.node, t.whatIf])).toEqual([
      ['node-2', undefined],
      ['node-1', 'edge-2 runs on node-2; simulating node-1'],
    ]);
  });

  it('an outside source: by default every node that answers the address, side by side', () => {
    // A load-balancer IP: every node's kube-proxy answers it; the outside network picks one.
    const lb = ok('src=198.51.100.7&dst=198.51.100.11&port=80');
    expect(lb.question.nodes).toEqual(['node-1', 'node-2', 'node-3-ipvs']);
    expect(lb.traces.map((t) => t.node)).toEqual(['node-1', 'node-2', 'node-3-ipvs']);
    expect(lb.traces.every((t) => t.whatIf === undefined)).toBe(true);
    // A NodePort on node-2's address: only node-2 answers it.
    expect(ok('src=198.51.100.7&dst=172.25.70.12&port=30082').question.nodes).toEqual(['node-2']);
    // The node picked by the user, not a what-if: an outside packet can arrive anywhere.
    const picked = ok('src=198.51.100.7&dst=198.51.100.11&port=80&node=node-2');
    expect(picked.question.nodes).toEqual(['node-2']);
    expect(picked.traces[0].whatIf).toBeUndefined();
  });

  it("returns the CLI JSON's fields: answer and sentence per outcome, path and warnings per trace", () => {
    const b = ok(`src=pod:default/edge-2&${METRICS}`);
    expect(TraceResponseSchema.safeParse(JSON.parse(JSON.stringify(b))).success).toBe(true);
    const r = b.traces[0].result!;
    expect(Array.isArray(r.warnings)).toBe(true);
    expect(r.path!.length).toBeGreaterThan(0);
    expect(r.path![0].node).toBe('node-2');
    for (const o of r.outcomes) {
      expect(['delivered', 'dropped', 'rejected', 'unanswered']).toContain(o.answer);
      expect(o.sentence).toMatch(/\S/);
    }
  });

  it('the Service page traces every node from the node itself, the IPVS node too, with links that name no node', () => {
    const d = serviceDetail(served(), 'default', 'web')!;
    const ipvs = d.dataplane.filter((r) => r.node === 'node-3-ipvs');
    expect(ipvs.length).toBeGreaterThan(0);
    for (const r of ipvs) {
      expect(r.error).toBeUndefined();
      expect(r.traceHref).toBe('/trace?src=node%3Anode-3-ipvs&dst=10.96.0.100&port=80&proto=tcp');
      const q = r.traceHref.slice('/trace?'.length);
      expect(ok(q).question.node).toBe('node-3-ipvs');
    }
  });
});

describe('the report starts with the verdict sentence', () => {
  const everyone = { access: { allNamespaces: true, namespaces: [] }, authenticated: false, identity: 'console user' };
  it("a single outcome: the report's summary is the sentence the console shows above the graph", async () => {
    const { handleTraceReport } = await import('../report/report-handler');
    const { parseReportJson } = await import('@/lib/report/report-json');
    const q = `src=pod:default/edge-2&${METRICS}`;
    const shown = ok(q).traces[0].result!.outcomes;
    expect(shown.length).toBe(1);
    const r = await handleTraceReport(new URLSearchParams(`${q}&format=json`), everyone);
    if (!('body' in r)) throw new Error(r.error.message);
    const rep = parseReportJson(r.body.toString('utf8'));
    expect(rep.summary).toBe(shown[0].sentence);
    expect(rep.findings).toContain('Node: edge-2 runs on node-2');
  });

  it('several outcomes: a sentence each with its share; an untraceable question gets no report', async () => {
    const { handleTraceReport } = await import('../report/report-handler');
    const { parseReportJson } = await import('@/lib/report/report-json');
    const q = 'src=pod:default/edge-2&dst=10.96.0.100&port=80';
    const shown = ok(q).traces[0].result!.outcomes;
    expect(shown.length).toBeGreaterThan(1);
    const r = await handleTraceReport(new URLSearchParams(`${q}&format=json`), everyone);
    if (!('body' in r)) throw new Error(r.error.message);
    const summary = parseReportJson(r.body.toString('utf8')).summary;
    for (const o of shown) expect(summary).toContain(o.sentence!);
    expect(summary).toMatch(/\(\d+(\.\d)?%\)/);
    const none = await handleTraceReport(
      new URLSearchParams('src=198.51.100.7&dst=10.0.9.9&port=80&format=json'),
      everyone,
    );
    expect(none.status).toBe(400);
    expect('body' in none).toBe(false);
  });
});

describe("/api/trace returns the CLI JSON's answer fields", () => {
  it('for a pod source with no node: the same outcomes (answer, sentence), path and warnings as `kubepath trace --snapshot --json`', async () => {
    const { execFileSync } = await import('node:child_process');
    const snapshot = path.resolve(import.meta.dirname, '../../../demo/demo-snapshot.json');
    const cli = JSON.parse(
      execFileSync(
        process.execPath,
        [
          'bin/kubepath.mjs',
          'trace',
          '--snapshot',
          snapshot,
          '--src',
          'pod:default/edge-2',
          '--dst',
          '10.96.0.100',
          '--port',
          '80',
          '--json',
        ],
        {
          cwd: path.resolve(import.meta.dirname, '../../..'),
          encoding: 'utf8',
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
        },
      ),
    );
    const api = JSON.parse(JSON.stringify(ok('src=pod:default/edge-2&dst=10.96.0.100&port=80').traces[0].result));
    const pick = (r: {
      outcomes: {
        verdict: string;
        to: string | null;
        probability: number;
        masquerade: boolean;
        answer: string;
        sentence: string;
      }[];
      path: unknown;
      warnings: string[];
    }) => ({
      outcomes: r.outcomes.map(({ verdict, to, probability, masquerade, answer, sentence }) => ({
        verdict,
        to,
        probability,
        masquerade,
        answer,
        sentence,
      })),
      path: r.path,
      warnings: r.warnings,
    });
    expect(cli.outcomes.length).toBeGreaterThan(1);
    expect(pick(api)).toEqual(pick(cli));
  }, 60_000);
});
