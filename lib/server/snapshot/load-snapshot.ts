/**
 * Loads and validates the served ClusterSnapshot. The file is re-read only when its mtime changes,
 * so a 10k-Service snapshot is parsed once per process, not per request.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { AppFailure } from '@/lib/errors';
import { locateSnapshot } from './locate';

const RawCaptureSchema = z.looseObject({ command: z.string(), stdout: z.string(), stderr: z.string(), exitCode: z.number().nullable(), sha256: z.string() });
/** Only the fields the console relies on are checked; everything else passes through untouched. */
const SnapshotSchema = z.looseObject({
  schema: z.literal('kubepath.snapshot/v1'),
  cluster: z.looseObject({ name: z.string() }),
  capturedAt: z.string(),
  nodes: z.array(z.looseObject({
    name: z.string(),
    via: z.string(),
    capturedAt: z.string(),
    captures: z.record(z.string(), RawCaptureSchema),
    error: z.looseObject({ kind: z.string(), message: z.string() }).optional(),
  })),
  api: z.looseObject({ services: z.array(z.unknown()), endpointSlices: z.array(z.unknown()), pods: z.array(z.unknown()), nodes: z.array(z.unknown()) }).optional(),
});

export interface LoadedSnapshot {
  path: string;
  source: 'env' | 'demo' | 'provisional';
  snapshot: ClusterSnapshot;
  /** Changes whenever the file changes: a cache key for everything derived from it. */
  version: string;
}

let cache: LoadedSnapshot | undefined;

export function parseSnapshotText(text: string, file: string): ClusterSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppFailure({ kind: 'not-found', resource: 'snapshot', message: `${file} is not valid JSON: ${(e as Error).message}` });
  }
  const r = SnapshotSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new AppFailure({ kind: 'not-found', resource: 'snapshot', message: `${file} is not a kubepath snapshot: ${i.path.join('.')}: ${i.message}` });
  }
  return r.data as unknown as ClusterSnapshot;
}

export function loadSnapshot(): LoadedSnapshot {
  const where = locateSnapshot();
  let mtime: number;
  try {
    mtime = statSync(where.path).mtimeMs;
  } catch {
    throw new AppFailure({ kind: 'not-found', resource: 'snapshot', message: `snapshot file not found: ${where.path}` });
  }
  const version = `${where.path}@${mtime}`;
  if (cache?.version === version) return cache;
  const snapshot = parseSnapshotText(readFileSync(where.path, 'utf8'), where.path);
  cache = { ...where, snapshot, version };
  return cache;
}
