/**
 * The served snapshot plus its derived views, memoised per snapshot version (the file's mtime),
 * so pages and routes share one parse.
 */
import { loadSnapshot, type LoadedSnapshot } from '@/lib/server/snapshot/load-snapshot';
import { overview, podsByIp, serviceSummaries, type Overview, type ServiceSummary } from '../cluster/cluster-index';
import type { PodRef } from '@/lib/graph/build-graph';

interface Derived {
  version: string;
  overview?: Overview;
  services?: ServiceSummary[];
  pods?: Record<string, PodRef>;
}
let derived: Derived = { version: '' };

export function served(): LoadedSnapshot & { overview(): Overview; services(): ServiceSummary[]; pods(): Record<string, PodRef> } {
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
