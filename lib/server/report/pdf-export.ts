/**
 * The PDF path of GET /api/report: rendered through the process's one bounded renderer
 * (lib/report/render-pdf.ts) and cached by report identity — snapshot version, the viewer (the report
 * names its author, and access decides what it may hold), the question and the format — so a reload
 * or eight people opening the same link cost one render. Identical requests in flight share it.
 * A full queue is a 429 with Retry-After; a render over its timeout a 503 with Retry-After.
 */
import { PdfBusyError, PdfTimeoutError, pdfRenderer, type PdfTiming } from '@/lib/report/render-pdf';
import type { RequestViewer } from '../../viewer/viewer';

export interface PdfOk {
  status: 200;
  body: Buffer;
  contentType: string;
  filename: string;
  timing?: PdfTiming;
}
export interface PdfRefused {
  status: 429 | 503;
  error: { kind: string; message: string };
  retryAfter: number;
}

const MAX_ENTRIES = 32;
const MAX_BYTES = 64 << 20;
const done = new Map<string, PdfOk>();
const inFlight = new Map<string, Promise<unknown>>();

/** The report's identity; the question's parameters sorted (none repeats: the parser refuses that). */
export function reportIdentity(snapshotVersion: string, viewer: RequestViewer, params: URLSearchParams): string {
  const question = [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([
    snapshotVersion,
    viewer.identity,
    viewer.access.allNamespaces ? '*' : [...viewer.access.namespaces].sort(),
    question,
  ]);
}

function remember(key: string, r: PdfOk): void {
  done.delete(key);
  done.set(key, r);
  let bytes = 0;
  for (const v of done.values()) bytes += v.body.length;
  for (const k of done.keys()) {
    if (done.size <= MAX_ENTRIES && bytes <= MAX_BYTES) break;
    bytes -= done.get(k)!.body.length;
    done.delete(k);
  }
}

/** Runs `build` once per identity (cached on success); maps the queue's refusals to 429/503. */
export async function cachedPdf<R extends { status: number }>(
  key: string,
  build: () => Promise<R>,
): Promise<R | PdfOk | PdfRefused> {
  const hit = done.get(key);
  if (hit) {
    remember(key, hit); // most recently used
    return { ...hit, timing: { queuedMs: 0, renderMs: 0 } };
  }
  let p = inFlight.get(key) as Promise<R> | undefined;
  if (!p) {
    p = build();
    inFlight.set(key, p);
    p.then(
      (r) => {
        if (r.status === 200) remember(key, r as unknown as PdfOk);
      },
      () => undefined,
    ).finally(() => inFlight.delete(key));
  }
  try {
    return await p;
  } catch (e) {
    if (e instanceof PdfBusyError)
      return { status: 429, retryAfter: e.retryAfterSeconds, error: { kind: 'busy', message: e.message } };
    if (e instanceof PdfTimeoutError)
      return {
        status: 503,
        retryAfter: pdfRenderer().retryAfterSeconds(),
        error: { kind: 'unavailable', message: e.message },
      };
    throw e;
  }
}
