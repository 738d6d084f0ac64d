'use client';
import { useState, type ReactNode } from 'react';

/** A <details> whose body is only rendered once opened: a 500-endpoint trace has ~10^5 step lines. */
export function LazyDetails({ summary, children }: { summary: ReactNode; children: () => ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{summary}</summary>
      {open ? children() : null}
    </details>
  );
}
