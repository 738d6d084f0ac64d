'use client';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { filterServices, namespacesOf, searchIndex, type ServiceFilter } from '@/lib/wire/service-filter';
import { ServiceFilters } from './ServiceFilters';
import { ServiceTable } from './ServiceTable';
import { loadGraphCanvas } from '@/components/graph/GraphCanvas';
import type { ServiceSummary } from '@/lib/model/cluster';

/** Loads the graph code once the browser is idle: from this list a trace is one click away. */
function preloadGraphCode(): void {
  const load = () => void loadGraphCanvas();
  if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 500);
}

/** The Service list: filters over a virtualised table, so 10k Services stay responsive. */
export function ServiceList({ services, initial, defaultNode }: { services: ServiceSummary[]; initial: ServiceFilter; defaultNode?: string }) {
  const [filter, setFilter] = useState(initial);
  // The search box updates at once; the 10k-row filter and the rows follow in a transition that a
  // newer keystroke interrupts, so typing never waits for a list it is about to replace.
  const shown = useDeferredValue(filter);
  const index = useMemo(() => searchIndex(services), [services]);
  const namespaces = useMemo(() => namespacesOf(services), [services]);
  const rows = useMemo(() => filterServices(services, index, shown), [services, index, shown]);
  useEffect(() => preloadGraphCode(), []);
  return (
    <>
      <ServiceFilters value={filter} onChange={setFilter} namespaces={namespaces} />
      <p className="muted" aria-live="polite" data-testid="service-count">{rows.length} of {services.length} Services</p>
      <ServiceTable rows={rows} filterText={shown.text} defaultNode={defaultNode} />
    </>
  );
}
