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
/** Keeps the chosen source in the URL (`from=`), so Back and a shared link keep it. */
function rememberFrom(from: string): void {
  const u = new URL(window.location.href);
  if (from) u.searchParams.set('from', from);
  else u.searchParams.delete('from');
  window.history.replaceState(window.history.state, '', u);
}

export function ServiceList({
  services,
  initial,
  pods,
  initialFrom,
}: {
  services: ServiceSummary[];
  initial: ServiceFilter;
  pods: { ref: string; node?: string }[];
  initialFrom: string;
}) {
  const [filter, setFilter] = useState(initial);
  const [from, setFrom] = useState(initialFrom);
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
      <label className="field">
        Trace this ClusterIP from
        <select
          aria-label="Trace from pod"
          value={from}
          onChange={(e) => {
            setFrom(e.target.value);
            rememberFrom(e.target.value);
          }}
        >
          <option value="">ask on the trace page</option>
          {from && !pods.some((p) => p.ref === from) && <option value={from}>{from}</option>}
          {pods.map((p) => (
            <option key={p.ref} value={p.ref}>
              {p.ref.slice(4)}
              {p.node ? ` (on ${p.node})` : ''}
            </option>
          ))}
        </select>
      </label>
      <p className="muted" aria-live="polite" data-testid="service-count">
        {rows.length} of {services.length} Services
      </p>
      <ServiceTable rows={rows} filterText={shown.text} from={from} />
    </>
  );
}
