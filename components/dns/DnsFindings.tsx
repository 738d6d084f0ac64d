import type { DnsFinding } from '@/lib/model/dns';

const badge = { info: '', warning: 'warn', error: 'bad' } as const;

/** The model's findings, worst first, beside the graph. */
export function DnsFindings({ findings, notes }: { findings: DnsFinding[]; notes: string[] }) {
  const order = { error: 0, warning: 1, info: 2 };
  const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity]);
  return (
    <aside className="card" aria-label="DNS findings">
      <h2>Findings ({findings.length})</h2>
      {sorted.length === 0 ? (
        <p className="muted">Nothing to flag for this lookup.</p>
      ) : (
        <ul role="list" aria-label="findings">
          {sorted.map((f, i) => (
            <li key={i} data-finding={f.id} data-severity={f.severity}>
              <span className={`badge ${badge[f.severity]}`}>{f.severity}</span> {f.message}
              {f.fix && <div className="muted">Fix: {f.fix}</div>}
            </li>
          ))}
        </ul>
      )}
      {notes.length > 0 && (
        <>
          <h3>Assumed (not in the snapshot)</h3>
          <ul>
            {notes.map((n) => (
              <li key={n} className="muted">
                {n}
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
