/**
 * Typed errors at the server boundary and their ONE mapping to HTTP status. Route handlers answer
 * `{ error: AppError }` JSON (`errorResponse`); pages render the same AppError by `kind`.
 *
 * lib/k8s/errors.ts is a different job and stays there: it classifies what the Kubernetes client
 * throws while collecting (403 → skip a resource, 409 → already exists), not what kubepath answers.
 */

/** What is wrong with a snapshot file (lib/snapshot/io.ts decides). */
export type SnapshotProblem = 'unreadable' | 'invalid-json' | 'unsupported-schema' | 'schema' | 'hash-mismatch';

export type AppError =
  | { kind: 'invalid-request'; message: string; issues: { path: string; message: string }[] }
  | { kind: 'not-found'; message: string; resource: 'node' | 'service' | 'pod' | 'snapshot' }
  | { kind: 'unreachable'; message: string; node: string; cause: string }
  | { kind: 'no-data'; message: string; node: string }
  /** The viewer gave no token, or one the Kubernetes API does not accept. */
  | { kind: 'unauthenticated'; message: string }
  /** The viewer is known but may not see this. */
  | { kind: 'forbidden'; message: string }
  /** A service the console depends on (the Kubernetes API, for access reviews) did not answer. */
  | { kind: 'unavailable'; message: string }
  /**
   * The served snapshot cannot be used (unreadable, invalid JSON, wrong shape, or a capture whose
   * text no longer matches its sha256). A server fault, never "not found": nothing is served from it.
   * `file` is the file's name only, never its path on the server.
   */
  | { kind: 'broken-snapshot'; message: string; file: string; problem: SnapshotProblem; where: string }
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
    case 'invalid-request':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'no-data':
      return 422;
    // The question was fine but the node could not be collected: a gateway problem, not ours.
    case 'unreachable':
      return 502;
    // Retrying later can help (the API comes back, the snapshot is replaced): 503, not 500.
    case 'unavailable':
      return 503;
    case 'broken-snapshot':
      return 503;
    default:
      return 500;
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppFailure) return err.appError;
  // The same failure thrown by another bundle's copy of this module (proxy.ts and the app share the
  // snapshot memo on globalThis, not their classes): recognised by shape, not by instanceof.
  const carried = (err as { appError?: { kind?: unknown; message?: unknown } } | null)?.appError;
  if (err instanceof Error && typeof carried?.kind === 'string' && typeof carried.message === 'string')
    return carried as AppError;
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** The heading a page shows above an error of each kind (components/ui/ErrorBox, the proxy's error page). */
export function errorTitle(kind: string): string {
  return (
    (
      {
        'invalid-request': 'This question cannot be traced',
        'not-found': 'Not found',
        unreachable: 'Node unreachable',
        'no-data': 'Nothing to trace on this node',
        unauthenticated: 'Access refused',
        forbidden: 'Access refused',
        unavailable: 'Access cannot be checked',
        'broken-snapshot': 'The snapshot cannot be served',
      } as Record<string, string>
    )[kind] ?? 'Error'
  );
}

/** The JSON response for an error: `{ error }` with its status (and the auth challenge on a 401). */
export function errorResponse(e: AppError): Response {
  const status = httpStatus(e);
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer realm="kubepath"' } : {};
  return Response.json({ error: e }, { status, headers });
}
