import { describe, expect, it } from 'vitest';
import { buildTraceReport } from './build-report';
import { renderMarkdown } from './render-markdown';
import { renderHtml } from './render-html';
import { parseReportJson, renderJson, ReportFormatError } from './report-json';
import { HOSTILE, sampleSnapshot, sampleTrace } from '../../testkit/report-sample';
import { SAMPLE_SECRETS } from '@/testkit/sample-secrets';

function report() {
  const trace = sampleTrace();
  return buildTraceReport({
    snapshot: sampleSnapshot(),
    node: 'node-a',
    packet: trace.packet,
    trace,
    createdBy: 'sre@example',
    now: new Date('2026-11-22T01:00:00Z'),
  });
}

describe('incident report > contents', () => {
  it('carries the question, verdict, every step with its line, the failed node and the capture digests', () => {
    const r = report();
    expect(r.summary).toContain('DNAT to 2 endpoints');
    expect(r.summary).toContain('masqueraded on 1 of 2');
    expect(r.nodes.find((n) => n.name === 'node-b')).toMatchObject({ collected: false });
    expect(r.evidence.map((e) => e.kind)).toEqual(['iptables-save', 'cni /etc/cni/net.d/10-calico.conflist']);
    expect(r.evidence[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const md = renderMarkdown(r);
    expect(md).toContain('KUBE-SEP-X');
    expect(md).toMatch(/\s9\s+-A KUBE-SEP-X/);
    expect(md).toContain('FAILED: unreachable');
  });
});

describe('incident report > redaction in every text format', () => {
  const formats = { markdown: renderMarkdown, html: renderHtml, json: renderJson };
  it.each(Object.entries(formats))('%s holds no secret', (_name, render) => {
    const out = render(report());
    for (const secret of Object.values(SAMPLE_SECRETS)) expect(out).not.toContain(secret);
  });
});

describe('incident report > hostile names stay text', () => {
  it('html escapes names and comments and loads nothing external', () => {
    const html = renderHtml(report());
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('markdown escapes names outside code and fences raw rules', () => {
    const md = renderMarkdown(report());
    const outsideCode = md.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(outsideCode).not.toContain('<script>');
    expect(md).toContain(HOSTILE.replace(/"/g, '"')); // inside the fenced rule block, verbatim
  });
});

describe('incident report > JSON bundle', () => {
  it('reopens to the same report', () => {
    const r = report();
    expect(parseReportJson(renderJson(r))).toEqual(r);
  });

  it.each([
    ['not json', '{', /not JSON/],
    ['future schema', JSON.stringify({ schema: 'kubepath.report/v9' }), /unsupported report schema/],
    ['missing fields', JSON.stringify({ schema: 'kubepath.report/v1', id: 'x' }), /invalid report at/],
  ])('rejects %s with a clear error', (_n, text, msg) => {
    expect(() => parseReportJson(text)).toThrow(ReportFormatError);
    expect(() => parseReportJson(text)).toThrow(msg);
  });
});
