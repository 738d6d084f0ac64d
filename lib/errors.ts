/**
 * Typed errors at the API boundary, mapped to HTTP status in one place. Route handlers return
 * `{ error: AppError }` JSON; pages render by `kind`.
 */
export type AppError =
  | { kind: 'invalid-request'; message: string; issues: { path: string; message: string }[] }
  | { kind: 'not-found'; message: string; resource: 'node' | 'service' | 'pod' | 'snapshot' }
  | { kind: 'unreachable'; message: string; node: string; cause: string }
  | { kind: 'no-data'; message: string; node: string }
  | { kind: 'internal'; message: string };

/** An Error carrying an AppError, so library code can throw and routes can map it. */
export class AppFailure extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'AppFailure';
  }
}

export function httpStatus(e: AppError): number {
  switch (e.kind) {
    case 'invalid-request': return 400;
    case 'not-found': return 404;
    // The question was fine but the node could not be collected: a gateway problem, not ours.
    case 'unreachable': return 502;
    case 'no-data': return 422;
    default: return 500;
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppFailure) return err.appError;
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}
