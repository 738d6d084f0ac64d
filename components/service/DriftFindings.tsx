import type { DriftFinding } from '@/lib/model/drift';

/** Rule-level drift findings for one Service, each citing the rule line that shows it. */
export function DriftFindings({ findings }: { findings: DriftFinding[] }) {
  if (findings.length === 0) return <p className="badge ok">No rule-level drift found for this Service.</p>;
  return (
    <ul aria-label="drift findings">
      {findings.map((f, i) => (
        <li key={i} data-kind={f.kind} data-node={f.node}>
          <span className="badge bad">{f.kind}</span> <strong>{f.node}</strong>: {f.message}
          {f.rule && (
            <div>
              <span className="muted">line {f.rule.line}:</span> <code>{f.rule.raw}</code>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
