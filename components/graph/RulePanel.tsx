import { formatProbability } from '@/lib/graph/graph-model';
import type { GraphEdge, GraphNode, RuleRef } from '@/lib/model/graph';

/** The exact rule lines behind a clicked chain or edge, with their line numbers in the capture. */
export function RulePanel({ node, edge }: { node?: GraphNode; edge?: GraphEdge }) {
  if (!node && !edge) return <p className="muted">Click a chain or an edge to see the exact rule lines.</p>;
  const rules: RuleRef[] = node ? node.rules : edge!.rules;
  const title = node
    ? node.label.replace(/\n/g, ' ')
    : `${edge!.source} → ${edge!.target} (${formatProbability(edge!.probability)}${edge!.masquerade ? ', masquerade' : ''})`;
  return (
    <section aria-label="selected rules" data-testid="rule-panel">
      <h3>{title}</h3>
      {node?.kind === 'group' && (
        <p>
          {node.count} endpoints share {formatProbability(node.probability ?? 0)} of new connections
          {node.masquerade ? ' (some masqueraded)' : ''}.{' '}
          {node.expanded
            ? 'Click a tile for the rule lines of that endpoint.'
            : 'Expand the group to see each endpoint and its rules.'}
        </p>
      )}
      {node?.via && (
        <p>
          Chain <code>{node.via}</code> is drawn inside this tile.
        </p>
      )}
      {node?.pod && (
        <p>
          Pod{' '}
          <strong>
            {node.pod.namespace}/{node.pod.name}
          </strong>
          {node.pod.node ? ` on ${node.pod.node}` : ''}
        </p>
      )}
      {rules.length === 0 ? (
        node?.kind === 'group' ? null : (
          <p className="muted">No rule lines (synthetic step).</p>
        )
      ) : (
        <table className="rules">
          <thead>
            <tr>
              <th>line</th>
              <th>rule</th>
              <th>effect</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={`${r.table}:${r.line}:${r.effect}`}>
                <td className="line mono">{r.line || '—'}</td>
                <td>
                  <code>{r.raw || r.why}</code>
                  <div className="muted">{r.why}</div>
                </td>
                <td>{r.effect}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
