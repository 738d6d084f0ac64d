import { describe, expect, it } from 'vitest';
import { explainDnsLookup } from '@/lib/dns/explain';
import { labCluster, LAB_UPSTREAM_HOSTS } from '@/testkit/dns-lab/lab-cluster';
import { buildDnsReport } from './build-dns-report';
import { renderMarkdown } from './render-markdown';
import { renderHtml } from './render-html';
import { parseReportJson, renderJson } from './report-json';
import { HOSTILE } from '../../testkit/report-sample';

const resolvConf =
  'nameserver 10.96.0.10\nsearch app.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n';

function report(name: string) {
  const explanation = explainDnsLookup({
    resolvConf,
    name,
    objects: labCluster('10.96.0.10'),
    endpointSlicesKnown: true,
    upstreamHosts: LAB_UPSTREAM_HOSTS,
  });
  return buildDnsReport({
    name,
    pod: `app/${HOSTILE}`,
    explanation,
    createdBy: 'oncall',
    now: new Date('2026-11-22T01:00:00Z'),
  });
}

describe('incident report > DNS question', () => {
  it('lists every query the resolver sends, in order, with the answer', () => {
    const r = report('www.example.com');
    const md = renderMarkdown(r);
    // ndots:5 with 2 dots: the search list is walked first, so the search candidates come before the name itself.
    const order = [
      'www.example.com.app.svc.cluster.local.',
      'www.example.com.svc.cluster.local.',
      'www.example.com.cluster.local.',
      'www.example.com.',
    ];
    const at = order.map((n) => md.indexOf(`| ${n} |`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(r.summary).toMatch(/after \d+ queries/);
    expect(r.findings.some((f) => /ndots/i.test(f))).toBe(true);
  });

  it('html escapes the pod name and the JSON bundle reopens', () => {
    const r = report('www.example.com');
    const html = renderHtml(r);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('www.example.com.svc.cluster.local.');
    expect(parseReportJson(renderJson(r)).question).toMatchObject({
      kind: 'dns',
      name: 'www.example.com',
      resolver: 'glibc',
    });
  });
});
