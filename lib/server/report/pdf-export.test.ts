import { describe, expect, it } from 'vitest';
import { PdfBusyError } from '@/lib/report/render-pdf';
import { cachedPdf, reportIdentity } from './pdf-export';
import type { RequestViewer } from '../../viewer/viewer';

const viewer = (identity: string, namespaces?: string[]): RequestViewer => ({
  identity,
  authenticated: !!namespaces,
  access: { allNamespaces: !namespaces, namespaces: namespaces ?? [] },
});
const ok = (n: number) => ({
  status: 200 as const,
  body: Buffer.from(`%PDF-${n}`),
  contentType: 'application/pdf',
  filename: `r${n}.pdf`,
});

describe('report > PDF cache by report identity', () => {
  it('the identity is the snapshot, the viewer and its access, and the question in any order', () => {
    const q = (s: string) => new URLSearchParams(s);
    const a = reportIdentity('v1', viewer('console user'), q('dst=10.0.0.1&port=80&format=pdf'));
    expect(reportIdentity('v1', viewer('console user'), q('format=pdf&port=80&dst=10.0.0.1'))).toBe(a);
    expect(reportIdentity('v2', viewer('console user'), q('dst=10.0.0.1&port=80&format=pdf'))).not.toBe(a);
    expect(reportIdentity('v1', viewer('alice'), q('dst=10.0.0.1&port=80&format=pdf'))).not.toBe(a);
    expect(reportIdentity('v1', viewer('console user', ['shop']), q('dst=10.0.0.1&port=80&format=pdf'))).not.toBe(a);
    expect(reportIdentity('v1', viewer('console user'), q('dst=10.0.0.1&port=81&format=pdf'))).not.toBe(a);
  });

  it('identical requests in flight share one build, a success is served again, a failure is not kept', async () => {
    let builds = 0;
    const build = async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 20));
      return ok(builds);
    };
    const [a, b] = await Promise.all([cachedPdf('k1', build), cachedPdf('k1', build)]);
    expect(builds).toBe(1);
    expect(a).toMatchObject({ status: 200, filename: 'r1.pdf' });
    expect(b).toMatchObject({ status: 200, filename: 'r1.pdf' });
    expect(await cachedPdf('k1', build)).toMatchObject({ filename: 'r1.pdf', timing: { queuedMs: 0, renderMs: 0 } });
    expect(builds).toBe(1);
    let failing = 0;
    const refuse = async () => {
      failing++;
      return { status: 404, error: { kind: 'not-found', message: 'x' } };
    };
    await cachedPdf('k2', refuse);
    await cachedPdf('k2', refuse);
    expect(failing).toBe(2);
  });

  it("a full queue becomes a 429 with the queue's Retry-After", async () => {
    const r = await cachedPdf('k3', async () => {
      throw new PdfBusyError(7, 6);
    });
    expect(r).toMatchObject({ status: 429, retryAfter: 7, error: { kind: 'busy' } });
  });
});
