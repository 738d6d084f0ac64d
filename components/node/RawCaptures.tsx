import Link from 'next/link';
import type { RawCaptureView } from '@/lib/server/cluster/node-detail';

/** A DOM id for a capture name (`iptables-save`, `/etc/cni/net.d/10-calico.conflist`). */
export const captureAnchor = (name: string) => `capture-${name.replace(/[^A-Za-z0-9_-]+/g, '-')}`;

/** Earlier/later pages of one capture: links, so every page of lines has its own URL. */
function Pager({ c, basePath, pageLines }: { c: RawCaptureView; basePath: string; pageLines: number }) {
  if (c.lines <= pageLines) return null;
  const href = (from: number) =>
    `${basePath}?${new URLSearchParams({ capture: c.name, from: String(from) })}#${captureAnchor(c.name)}`;
  return (
    <nav aria-label={`pages of ${c.name}`} className="row">
      <span>
        lines {c.from}–{c.to} of {c.lines}
      </span>
      {c.from > 1 && <Link href={href(1)}>first</Link>}
      {c.from > 1 && (
        <Link href={href(Math.max(1, c.from - pageLines))} rel="prev">
          ← lines {Math.max(1, c.from - pageLines)}–{c.from - 1}
        </Link>
      )}
      {c.to < c.lines && (
        <Link href={href(c.to + 1)} rel="next">
          lines {c.to + 1}–{Math.min(c.lines, c.to + pageLines)} →
        </Link>
      )}
      {c.to < c.lines && <Link href={href(Math.floor((c.lines - 1) / pageLines) * pageLines + 1)}>last</Link>}
    </nav>
  );
}

/** The captures exactly as collected (text, never HTML), with command, exit code and sha256; long ones a page of lines at a time. */
export function RawCaptures({
  raw,
  open = false,
  basePath,
  pageLines,
  opened,
}: {
  raw: RawCaptureView[];
  open?: boolean;
  basePath: string;
  pageLines: number;
  /** The capture whose page was asked for: shown open. */ opened?: string;
}) {
  return (
    <>
      {raw.map((c) => (
        <details key={c.name} id={captureAnchor(c.name)} className="card" open={open || opened === c.name}>
          <summary>
            <strong>{c.name}</strong> <code>{c.command}</code> · exit {c.exitCode ?? '—'} · {c.lines} lines
            {c.error ? <span className="badge bad">{c.error}</span> : null}
          </summary>
          <p className="muted mono">sha256 {c.sha256}</p>
          <Pager c={c} basePath={basePath} pageLines={pageLines} />
          <pre>{c.text}</pre>
          <Pager c={c} basePath={basePath} pageLines={pageLines} />
          {c.stderr && (
            <>
              <h4>stderr</h4>
              <pre>{c.stderr}</pre>
            </>
          )}
        </details>
      ))}
    </>
  );
}
