import type { RawCapture } from '@/lib/model/snapshot';

/** The captures exactly as collected (text, never HTML), with command, exit code and sha256. */
export function RawCaptures({ raw, open = false }: { raw: { name: string; capture: RawCapture }[]; open?: boolean }) {
  return (
    <>
      {raw.map(({ name, capture }) => (
        <details key={name} className="card" open={open}>
          <summary>
            <strong>{name}</strong> <code>{capture.command}</code> · exit {capture.exitCode ?? '—'} · {capture.stdout.split('\n').length} lines
            {capture.error ? <span className="badge bad">{capture.error}</span> : null}
          </summary>
          <p className="muted mono">sha256 {capture.sha256}</p>
          <pre>{capture.stdout}</pre>
          {capture.stderr && <><h4>stderr</h4><pre>{capture.stderr}</pre></>}
        </details>
      ))}
    </>
  );
}
