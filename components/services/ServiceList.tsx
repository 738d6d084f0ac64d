'use client';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import Link from 'next/link';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ServiceSummary } from '@/lib/api/cluster-index';
import { filterServices, namespacesOf, searchIndex, type ServiceFilter } from '@/lib/api/service-filter';
import { ServiceFilters } from './ServiceFilters';
import { traceHref } from '@/lib/api/trace-request';

/**
 * Rows link with prefetch off: prefetching every visible row's trace and detail page on each
 * keystroke would run dozens of server renders (each trace page computes its trace) per letter.
 * The graph code is loaded instead, when the browser is idle, since a trace is one click away.
 */
function preloadGraphCode(): void {
  const load = () => void import('@/components/graph/CytoscapeCanvas');
  if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 500);
}

/** The Service list, virtualised: only the visible rows exist in the DOM, so 10k Services stay responsive. */
export function ServiceList({ services, initial, defaultNode }: { services: ServiceSummary[]; initial: ServiceFilter; defaultNode?: string }) {
  const [filter, setFilter] = useState(initial);
  // The search box updates at once; the 10k-row filter and the rows follow in a transition that a
  // newer keystroke interrupts, so typing never waits for a list it is about to replace.
  const shown = useDeferredValue(filter);
  const index = useMemo(() => searchIndex(services), [services]);
  const namespaces = useMemo(() => namespacesOf(services), [services]);
  const rows = useMemo(() => filterServices(services, index, shown), [services, index, shown]);
  useEffect(() => preloadGraphCode(), []);
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => 34, overscan: 10 });
  return (
    <>
      <ServiceFilters value={filter} onChange={setFilter} namespaces={namespaces} />
      <p className="muted" aria-live="polite" data-testid="service-count">{rows.length} of {services.length} Services</p>
      <div ref={parent} className="vlist" role="table" aria-label="Services" aria-rowcount={rows.length} data-filter-text={shown.text}>
        <div className="vrow head" role="row">
          <span role="columnheader">Namespace</span><span role="columnheader">Name</span><span role="columnheader">Type</span>
          <span role="columnheader">ClusterIP</span><span role="columnheader">Ports</span><span role="columnheader">Endpoints</span><span role="columnheader">Trace</span>
        </div>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const s = rows[item.index];
            const href = s.trace && defaultNode ? traceHref({ node: defaultNode, src: `node:${defaultNode}`, dst: s.clusterIP, port: s.trace.port, proto: s.trace.proto }) : undefined;
            return (
              <div key={s.key} className="vrow" role="row" aria-rowindex={item.index + 1} data-service={s.key}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
                <span role="cell">{s.namespace}</span>
                <span role="cell"><Link prefetch={false} href={`/services/${encodeURIComponent(s.namespace)}/${encodeURIComponent(s.name)}`}>{s.name}</Link></span>
                <span role="cell">{s.type}</span>
                <span role="cell" className="mono">{s.clusterIP}</span>
                <span role="cell" className="mono">{s.ports}</span>
                <span role="cell">{s.noReady ? <span className="badge bad">0 ready</span> : `${s.ready}/${s.total} ready`}</span>
                <span role="cell">{href ? <Link className="button" href={href} prefetch={false} aria-label={`Trace this ClusterIP ${s.key}`}>Trace this ClusterIP</Link> : <span className="muted">—</span>}</span>
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}
