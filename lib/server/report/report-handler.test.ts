import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { handleReport, handleTraceReport, safeFilename, type ReportResult } from './report-handler';
import { resolveViewer, snapshotNamespaces, type RequestViewer } from '../../viewer/viewer';
import { served } from '../snapshot/served';
import { parseReportJson } from '@/lib/report/report-json';
import type { IncidentReport } from '@/lib/model/report';

// Real captures: the provisional snapshot (iptables-save -c / ip -j from a netns lab).
beforeAll(() => {
  process.env.KUBEPATH_SNAPSHOT = path.resolve(import.meta.dirname, '../../../demo/provisional-snapshot.json');
});

const everyone: RequestViewer = {
  access: { allNamespaces: true, namespaces: [] },
  authenticated: false,
  identity: 'console user',
};
const shopOnly: RequestViewer = {
  access: { allNamespaces: false, namespaces: ['shop'] },
  authenticated: true,
  identity: 'authenticated viewer (token sha256:abc)',
};
const defaultOnly: RequestViewer = {
  access: { allNamespaces: false, namespaces: ['default'] },
  authenticated: true,
  identity: 'authenticated viewer (token sha256:def)',
};
const WEB = 'src=pod:default/web-7d4b9c-x2x4q&dst=10.96.10.10&port=80';

const json = (r: ReportResult): IncidentReport => {
  if (!('body' in r)) throw new Error(`expected a report, got ${r.status} ${r.error.message}`);
  return parseReportJson(r.body.toString('utf8'));
};

describe('GET /api/report handler', () => {
  it('exports the trace the view shows, as JSON naming the author, question, verdicts and capture digests', async () => {
    const r = await handleTraceReport(
      new URLSearchParams(`${WEB}&format=json`),
      everyone,
      new Date('2026-01-02T03:04:05Z'),
    );
    expect(r.status).toBe(200);
    const rep = json(r);
    expect(rep.createdBy).toBe('console user');
    expect(rep.question).toEqual({
      kind: 'trace',
      node: 'node-a',
      packet: { src: '10.244.1.10', dst: '10.96.10.10', port: 80, proto: 'tcp' },
    });
    expect(rep.trace!.outcomes.map((o) => o.to).sort()).toEqual([
      '10.244.1.10:8080',
      '10.244.1.11:8080',
      '10.244.2.10:8080',
    ]);
    const nodeA = served().snapshot.nodes.find((n) => n.name === 'node-a')!;
    expect(rep.evidence.find((e) => e.kind === 'iptables-save')?.sha256).toBe(nodeA.captures['iptables-save']!.sha256);
    expect(rep.nodes.map((n) => [n.name, n.collected])).toEqual([
      ['node-a', true],
      ['node-b', true],
      ['node-c', false],
    ]);
    expect(rep.findings).toContain('Source: pod default/web-7d4b9c-x2x4q (10.244.1.10)');
    expect(rep.replay?.node.name).toBe('node-a');
    if (!('body' in r)) throw new Error('unreachable');
    expect(r.contentType).toBe('application/json');
    expect(r.filename).toMatch(/^kubepath-report-[A-Za-z0-9._-]+-node-a-10.96.10.10_80_tcp-[0-9a-f]{12}\.json$/);
  });

  it('renders markdown and html with the raw rule lines and their line numbers', async () => {
    const md = await handleTraceReport(new URLSearchParams(`${WEB}&format=md`), everyone);
    const html = await handleTraceReport(new URLSearchParams(`${WEB}&format=html`), everyone);
    if (!('body' in md) || !('body' in html)) throw new Error('expected reports');
    expect(md.contentType).toBe('text/markdown; charset=utf-8');
    expect(md.body.toString()).toMatch(/-A KUBE-SERVICES .*10\.96\.10\.10\/32/);
    expect(html.body.toString()).toMatch(/^<!doctype html>/i);
    expect(html.body.toString()).toMatch(/KUBE-SVC-/);
  });

  it('refuses a file-naming parameter and a bad format with 400, and passes trace errors through', async () => {
    for (const q of [`${WEB}&format=json&snapshot=../../etc/passwd`, `${WEB}&format=json&path=/etc/shadow`]) {
      const r = await handleTraceReport(new URLSearchParams(q), everyone);
      expect(r.status).toBe(400);
      expect('error' in r && r.error.message).toMatch(/never reads a file named in a request/);
    }
    expect((await handleTraceReport(new URLSearchParams(`${WEB}&format=exe`), everyone)).status).toBe(400);
    const unknown = await handleTraceReport(
      new URLSearchParams('node=../../etc/passwd&src=10.0.0.1&dst=10.96.10.10&port=80&format=md'),
      everyone,
    );
    expect(unknown.status).toBe(404);
    expect('error' in unknown && unknown.error.message).toMatch(/unknown node "..\/..\/etc\/passwd"/);
    expect(
      (
        await handleTraceReport(
          new URLSearchParams('node=node-c&src=10.0.0.1&dst=10.96.10.10&port=80&format=md'),
          everyone,
        )
      ).status,
    ).toBe(502);
  });

  it('a namespace-bound viewer is refused (403) a path into another namespace, and gets no replay bundle', async () => {
    const refused = await handleTraceReport(new URLSearchParams(`${WEB}&format=json`), shopOnly);
    expect(refused.status).toBe(403);
    const own = json(await handleTraceReport(new URLSearchParams(`${WEB}&format=json`), defaultOnly));
    expect(own.createdBy).toBe('authenticated viewer (token sha256:def)');
    expect(own.replay).toBeUndefined();
    expect(own.findings.join('\n')).toMatch(/replay bundle .* omitted/);
  });

  it('exports a DNS question (pod + name, as on /dns) as a DNS report; the packet path through kube-system gates it', async () => {
    const q = 'pod=default/web-7d4b9c-x2x4q&name=cart';
    const rep = json(await handleReport(new URLSearchParams(`${q}&format=json`), everyone));
    expect(rep.question).toMatchObject({
      kind: 'dns',
      name: 'cart',
      pod: 'default/web-7d4b9c-x2x4q',
      resolver: 'glibc',
    });
    expect(rep.summary).toMatch(/resolves to 10\.96\.30\.50/);
    expect(rep.evidence.length).toBeGreaterThan(0);
    const md = await handleReport(new URLSearchParams(`${q}&format=md`), everyone);
    if (!('body' in md)) throw new Error('expected a report');
    expect(md.filename).toMatch(/^kubepath-dns-report-.*-default_web-7d4b9c-x2x4q-cart-glibc-[0-9a-f]{12}\.md$/);
    expect((await handleReport(new URLSearchParams(`${q}&format=md`), defaultOnly)).status).toBe(403);
    expect((await handleReport(new URLSearchParams('pod=default/ghost&name=cart&format=md'), everyone)).status).toBe(
      404,
    );
  });

  it('builds filenames only from safe characters', () => {
    expect(safeFilename(['kubepath-report', '../../etc', 'a"b;c\r\nd', '<img src=x>'], 'pdf')).toBe(
      'kubepath-report-etc-a_b_c_d-img_src_x.pdf',
    );
    expect(safeFilename(['..', '/'], 'md')).toBe('kubepath-report.md');
  });
});

describe('viewer resolution', () => {
  it('without KUBEPATH_AUTH the console user sees everything; with it, no token is a 401 with the reason', async () => {
    const snap = served().snapshot;
    expect(snapshotNamespaces(snap)).toEqual(['batch', 'default', 'kube-system', 'monitoring', 'shop']);
    const open = await resolveViewer(new Headers(), snap, {});
    expect(open).toMatchObject({ ok: true, viewer: { identity: 'console user', access: { allNamespaces: true } } });
    const closed = await resolveViewer(new Headers(), snap, {
      KUBEPATH_AUTH: 'kubernetes',
      KUBEPATH_AUTH_KUBECONFIG: '/nonexistent',
    });
    expect(closed).toEqual({
      ok: false,
      status: 401,
      reason: expect.stringMatching(/requires a Kubernetes bearer token/),
    });
  });
});
