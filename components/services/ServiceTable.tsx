'use client';
import { memo, useRef } from 'react';
import Link from 'next/link';
import { PendingMark } from '@/components/ui/PendingMark';
import { useVirtualizer } from '@tanstack/react-virtual';
import { traceHref } from '@/lib/wire/trace-request';
import type { ServiceSummary } from '@/lib/model/cluster';

/**
 * The virtualised rows: only the visible rows exist in the DOM. Memoised, so a keystroke's urgent
 * render (the search box) does not re-render them; they render once, for the filtered result.
 * "Trace this ClusterIP" carries the source picked above the list (`from`); without one, the trace
 * page asks from which pod. Links have prefetch off: prefetching every visible row's trace and detail page on each keystroke
 * would run dozens of server renders (each trace page computes its trace) per letter.
 */
export const ServiceTable = memo(function ServiceTable({
  rows,
  filterText,
  from,
}: {
  rows: ServiceSummary[];
  filterText: string;
  from?: string;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 34,
    overscan: 10,
  });
  return (
    <div
      ref={parent}
      className="vlist"
      role="table"
      aria-label="Services"
      aria-rowcount={rows.length}
      data-filter-text={filterText}
    >
      <div className="vrow head" role="row">
        <span role="columnheader">Namespace</span>
        <span role="columnheader">Name</span>
        <span role="columnheader">Type</span>
        <span role="columnheader">ClusterIP</span>
        <span role="columnheader">Ports</span>
        <span role="columnheader">Endpoints</span>
        <span role="columnheader">Trace</span>
      </div>
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((item) => {
          const s = rows[item.index];
          // From the chosen pod (which decides the node), or to the trace page's "from which pod?" picker.
          const href = s.trace
            ? traceHref({ src: from || undefined, dst: s.clusterIP, port: s.trace.port, proto: s.trace.proto })
            : undefined;
          return (
            <div
              key={s.key}
              className="vrow"
              role="row"
              aria-rowindex={item.index + 1}
              data-service={s.key}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
            >
              <span role="cell">{s.namespace}</span>
              <span role="cell">
                <Link
                  prefetch={false}
                  href={`/services/${encodeURIComponent(s.namespace)}/${encodeURIComponent(s.name)}${from ? `?from=${encodeURIComponent(from)}` : ''}`}
                >
                  {s.name}
                </Link>
              </span>
              <span role="cell">{s.type}</span>
              <span role="cell" className="mono">
                {s.clusterIP}
              </span>
              <span role="cell" className="mono">
                {s.ports}
              </span>
              <span role="cell">
                {s.noReady ? <span className="badge bad">0 ready</span> : `${s.ready}/${s.total} ready`}
              </span>
              <span role="cell">
                {href ? (
                  <Link className="button" href={href} prefetch={false} aria-label={`Trace this ClusterIP ${s.key}`}>
                    Trace this ClusterIP
                    <PendingMark />
                  </Link>
                ) : (
                  <span className="muted">—</span>
                )}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
});
