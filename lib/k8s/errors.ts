/**
 * API failures, classified. Messages carry the status and the Status reason from the apiserver but
 * never request headers (the bearer token lives there).
 */
export type ApiFailureKind = 'forbidden' | 'not-found' | 'unauthorized' | 'unreachable' | 'other';

export interface ApiFailure {
  kind: ApiFailureKind;
  status?: number;
  message: string;
}

export function classifyApiError(err: unknown): ApiFailure {
  const e = err as { code?: unknown; body?: unknown; message?: string; cause?: { code?: string } };
  const status = typeof e?.code === 'number' ? e.code : undefined;
  let reason = '';
  if (typeof e?.body === 'string') {
    try {
      reason = (JSON.parse(e.body) as { message?: string }).message ?? '';
    } catch {
      reason = e.body.slice(0, 200);
    }
  } else if (e?.body && typeof e.body === 'object') {
    reason = (e.body as { message?: string }).message ?? '';
  }
  const msg = (reason || e?.message || String(err)).replace(/Bearer\s+\S+/gi, 'Bearer <redacted>').split('\n')[0];
  if (status === 403) return { kind: 'forbidden', status, message: msg };
  if (status === 404) return { kind: 'not-found', status, message: msg };
  if (status === 401) return { kind: 'unauthorized', status, message: msg };
  if (
    status === undefined &&
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|fetch failed/i.test(`${msg} ${e?.cause?.code ?? ''}`)
  ) {
    return { kind: 'unreachable', message: msg };
  }
  return { kind: 'other', status, message: msg };
}
