import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { handleDns } from './dns-handler';
import type { DnsResponse, NodeTrace } from '../../wire/dns';
import type { AppError } from '../../errors';
import type { ClusterSnapshot } from '@/lib/model/snapshot';

// The handler runs on the provisional demo snapshot: real iptables-save -c captures from netns, and
// resolv.conf captured in each pod netns.
const PROVISIONAL = path.resolve(import.meta.dirname, '../../../demo/provisional-snapshot.json');
const tmp = mkdtempSync(path.join(tmpdir(), 'kp-dns-handler-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeEach(() => {
  process.env.KUBEPATH_SNAPSHOT = PROVISIONAL;
});

/** A variant of the provisional snapshot, served from a temp file. */
function serveVariant(name: string, edit: (s: ClusterSnapshot) => void) {
  const s = JSON.parse(readFileSync(PROVISIONAL, 'utf8')) as ClusterSnapshot;
  edit(s);
  const file = path.join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(s));
  process.env.KUBEPATH_SNAPSHOT = file;
}

const WEB = 'default/web-7d4b9c-x2x4q';
const call = (q: string) => handleDns(new URLSearchParams(q));
const ok = (q: string) => {
  const r = call(q);
  expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
  return r.body as DnsResponse;
};

describe('GET /api/dns handler: bad questions', () => {
  it.each([
    { name: 'no name → 400', q: `pod=${WEB}`, status: 400, text: /name: .*required/ },
    { name: 'empty name → 400', q: `pod=${WEB}&name=`, status: 400, text: /name: .*required/ },
    { name: 'blank name → 400', q: `pod=${WEB}&name=%20%20`, status: 400, text: /name is required/ },
    {
      name: 'name over 253 characters → 400',
      q: `pod=${WEB}&name=${Array(9).fill('a'.repeat(30)).join('.')}`,
      status: 400,
      text: /longer than 253/,
    },
    { name: 'space inside the name → 400', q: `pod=${WEB}&name=my%20svc`, status: 400, text: /dot-separated labels/ },
    { name: 'empty label → 400', q: `pod=${WEB}&name=cart..default`, status: 400, text: /dot-separated labels/ },
    {
      name: 'label over 63 → 400',
      q: `pod=${WEB}&name=${'b'.repeat(64)}.default`,
      status: 400,
      text: /longer than 63/,
    },
    {
      name: 'pod without namespace → 400',
      q: 'pod=web&name=cart',
      status: 400,
      text: /pod must be <namespace>\/<name>/,
    },
    {
      name: 'unknown resolver → 400',
      q: `pod=${WEB}&name=cart&resolver=bionic`,
      status: 400,
      text: /resolver must be glibc or musl/,
    },
    { name: 'bad trace port → 400', q: `pod=${WEB}&name=cart&port=99999`, status: 400, text: /port must be 1-65535/ },
    { name: 'unknown pod → 404', q: 'pod=default/ghost&name=cart', status: 404, text: /unknown pod "default\/ghost"/ },
  ])('$name', ({ q, status, text }) => {
    const r = call(q);
    expect(r.status).toBe(status);
    expect((r.body as { error: AppError }).error.message).toMatch(text);
  });

  it('accepts a 253-character name with a root dot', () => {
    const name = `${Array(7).fill('a'.repeat(31)).join('.')}.${'c'.repeat(29)}.`;
    expect(name.length).toBe(254);
    expect(call(`pod=${WEB}&name=${name}`).status).toBe(200);
  });
});

describe('GET /api/dns handler: answers', () => {
  it('resolves a Service short name from the captured resolv.conf, traces the packet to the CoreDNS pods and links the ClusterIP into the trace view', () => {
    const b = ok(`pod=${WEB}&name=cart`);
    expect(b.resolv.source).toBe('captured');
    expect(b.resolv.text).toContain('nameserver 10.96.0.10');
    expect(b.explanation.addresses).toEqual(['10.96.30.50']);
    expect(b.explanation.queries.map((q) => `${q.type} ${q.name} ${q.rcode}`)).toEqual([
      'A cart.default.svc.cluster.local. NOERROR',
      'AAAA cart.default.svc.cluster.local. NODATA',
    ]);
    const ns = b.explanation.nameserverPaths[0];
    expect(ns).toMatchObject({ ip: '10.96.0.10', port: 53, proto: 'udp', kind: 'kube-dns-clusterip' });
    const t = ns.trace as NodeTrace;
    expect(t.node).toBe('node-a');
    expect(t.result!.packet).toMatchObject({ src: '10.244.1.10', dst: '10.96.0.10', port: 53, proto: 'udp' });
    // kube-dns's UDP port DNATs to both CoreDNS pods, each named from the snapshot.
    expect(t.result!.outcomes.map((o) => o.to).sort()).toEqual(['10.244.1.2:53', '10.244.2.2:53']);
    expect(b.pods['10.244.2.2']).toMatchObject({ namespace: 'kube-system', name: 'coredns-5d78c9869d-t7wql' });
    expect(b.coreDns.map((c) => c.ip).sort()).toEqual(['10.244.1.2', '10.244.2.2']);
    expect(b.answers).toEqual([
      {
        address: '10.96.30.50',
        service: 'default/cart',
        port: 80,
        proto: 'tcp',
        // The hand-off keeps the pod (which decides the node), not a bare address on a chosen node.
        traceHref: '/trace?src=pod%3Adefault%2Fweb-7d4b9c-x2x4q&dst=10.96.30.50&port=80&proto=tcp',
      },
    ]);
  });

  it('uses the port/protocol the user chose for the trace link', () => {
    const b = ok(`pod=${WEB}&name=kube-dns.kube-system&port=53&proto=udp`);
    expect(b.answers[0]).toMatchObject({
      address: '10.96.0.10',
      service: 'kube-system/kube-dns',
      port: 53,
      proto: 'udp',
    });
    expect(b.answers[0].traceHref).toContain('port=53&proto=udp');
  });

  it('walks the whole search list for an unknown name and says so', () => {
    const b = ok(`pod=${WEB}&name=nope&resolver=musl`);
    expect(b.question.resolver).toBe('musl');
    expect(b.explanation.status).not.toBe('OK');
    expect(b.explanation.steps.map((s) => s.candidate.fqdn)).toEqual([
      'nope.default.svc.cluster.local.',
      'nope.svc.cluster.local.',
      'nope.cluster.local.',
      'nope.',
    ]);
    expect(b.answers).toEqual([]);
  });

  it('derives the resolv.conf as kubelet writes it when the pod netns capture has none, and says so', () => {
    serveVariant('no-resolv', (s) => {
      for (const n of s.nodes)
        for (const p of n.pods ?? []) if (p.pod?.name === 'web-7d4b9c-x2x4q') delete p.resolvConf;
    });
    const b = ok(`pod=${WEB}&name=cart`);
    expect(b.resolv.source).toBe('derived');
    expect(b.resolv.note).toMatch(
      /not captured \(its resolv.conf was not captured\): derived as kubelet writes it from dnsPolicy ClusterFirst/,
    );
    expect(b.resolv.text).toBe(
      'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
    );
    expect(b.explanation.findings.some((f) => f.id === 'kubelet-resolv-conf')).toBe(true);
    expect(b.explanation.addresses).toEqual(['10.96.30.50']);
  });

  it('a pod on an uncollected node still gets its DNS answer; the nameserver trace carries the node error', () => {
    serveVariant('on-node-c', (s) => {
      const p = s.api!.pods.find((x) => x.name === 'cart-1')!;
      p.nodeName = 'node-c';
    });
    const b = ok('pod=default/cart-1&name=web');
    expect(b.resolv.source).toBe('derived');
    expect(b.resolv.note).toMatch(/node node-c was not collected \(unreachable\)/);
    expect(b.explanation.addresses).toEqual(['10.96.10.10']);
    const t = b.explanation.nameserverPaths[0].trace as NodeTrace;
    expect(t.error?.kind).toBe('unreachable');
    expect(b.answers[0].traceHref).toContain('src=pod%3Adefault%2Fcart-1&');
    expect(b.answers[0].traceHref).not.toContain('node=');
  });
});
