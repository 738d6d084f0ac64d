'use client';
import { useLinkStatus } from 'next/link';

/**
 * Inside a Link to a trace: while the trace page is on its way (the server traces, then the graph is
 * drawn at once, with no fallback in between), the clicked button says so.
 */
export function PendingMark() {
  const { pending } = useLinkStatus();
  return pending ? (
    <span role="status" className="pending">
      {' '}
      · tracing…
    </span>
  ) : null;
}
