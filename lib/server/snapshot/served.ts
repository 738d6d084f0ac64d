/**
 * The served snapshot plus its derived views, memoised per snapshot version (the file's path,
 * mtime and size), so pages and routes share one parse.
 */
import 'server-only';
import { loadSnapshot, type LoadedSnapshot } from '@/lib/server/snapshot/load-snapshot';
import { overview, podsByIp, serviceSummaries } from '../cluster/cluster-index';
import type { Overview, ServiceSummary } from '@/lib/model/cluster';
import type { PodRef } from '@/lib/model/graph';

interface Derived {
  version: string;
  overview?: Overview;
  services?: ServiceSummary[];
  pods?: Record<string, PodRef>;
}
let derived: Derived = { version: '' };

export type Served = LoadedSnapshot & {
  overview(): Overview;
  services(): ServiceSummary[];
  pods(): Record<string, PodRef>;
};

/** @throws SnapshotError (broken-snapshot, 503) when the file cannot be served. */
export function served(): Served {
  const loaded = loadSnapshot();
  if (derived.version !== loaded.version) derived = { version: loaded.version };
  const d = derived;
  return {
    ...loaded,
    overview: () => (d.overview ??= overview(loaded.snapshot)),
    services: () => (d.services ??= serviceSummaries(loaded.snapshot)),
    pods: () => (d.pods ??= podsByIp(loaded.snapshot)),
  };
}
