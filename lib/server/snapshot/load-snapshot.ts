/**
 * The served ClusterSnapshot, through the one strict loader (lib/snapshot/io.ts: schema + every
 * capture's sha256). Loaded once per file version (path, mtime, size): a 10k-Service snapshot is
 * parsed and hashed once per process, not per request, and a broken file is refused once and the
 * same SnapshotError answered until the file changes.
 */
import 'server-only';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { loadSnapshot as loadSnapshotFile, SnapshotError } from '@/lib/snapshot/io';
import { locateSnapshot } from './locate';

export interface LoadedSnapshot {
  /** The file's name (never its path on the server: pages and errors show this). */
  file: string;
  source: 'env' | 'demo' | 'provisional';
  snapshot: ClusterSnapshot;
  /** Changes whenever the file changes: a cache key for everything derived from it. */
  version: string;
}

type Memo =
  | { version: string; loaded: LoadedSnapshot; error?: undefined }
  | { version: string; error: SnapshotError; loaded?: undefined };

// On globalThis so the proxy (proxy.ts, its own bundle in the same process) and the app share one
// parse of the file rather than holding two copies of a large snapshot.
const KEY = Symbol.for('kubepath.served-snapshot');
const store = globalThis as unknown as Record<symbol, Memo | undefined>;

/** The served snapshot. @throws SnapshotError (an AppFailure of kind broken-snapshot, HTTP 503). */
export function loadSnapshot(): LoadedSnapshot {
  const where = locateSnapshot();
  const file = path.basename(where.path);
  let version: string;
  try {
    const st = statSync(where.path);
    version = `${where.path}@${st.mtimeMs}:${st.size}`;
  } catch (e) {
    throw new SnapshotError(
      file,
      'file',
      `cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'}: the console has no snapshot to serve)`,
      'unreadable',
    );
  }
  const memo = store[KEY];
  if (memo?.version === version) {
    if (memo.error) throw memo.error;
    return memo.loaded;
  }
  try {
    const loaded: LoadedSnapshot = {
      file,
      source: where.source,
      snapshot: loadSnapshotFile(where.path, file),
      version,
    };
    store[KEY] = { version, loaded };
    return loaded;
  } catch (e) {
    if (!(e instanceof SnapshotError)) throw e;
    // One log line per refused file version (every request then answers 503 with the same error).
    console.error(`kubepath: refusing to serve the snapshot (${where.source}): ${e.message}`);
    store[KEY] = { version, error: e };
    throw e;
  }
}
