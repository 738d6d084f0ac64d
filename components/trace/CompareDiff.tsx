import type { TraceDiff } from '@/lib/graph/compare-traces';
import { formatProbability } from '@/lib/graph/graph-model';
import type { PodRef } from '@/lib/model/graph';

function ipOf(key: string): string {
  return key.startsWith('[') ? key.slice(1, key.indexOf(']')) : key.slice(0, key.lastIndexOf(':'));
}

/** The same question on two nodes, lined up: each end (endpoint, drop, reject) with both sides' share and answer, differences marked. */
export function CompareDiff({ diff, pods }: { diff: TraceDiff; pods: Record<string, PodRef> }) {
  const side = (s: TraceDiff['rows'][number]['left']) =>
    s ? (
      <>
        <span className={`badge answer-${s.answer}`}>{s.stale ? 'stale' : s.answer}</span> {formatProbability(s.share)}
      </>
    ) : (
      <span className="muted">—</span>
    );
  const differing = diff.rows.filter((r) => r.differences.length).length;
  return (
    <section
      className="card diff"
      aria-label={`difference between ${diff.left} and ${diff.right}`}
      data-testid="compare-diff"
      data-differs={String(diff.differs)}
    >
      <h2>
        {diff.left} vs {diff.right}:{' '}
        {diff.differs ? `${differing} difference${differing === 1 ? '' : 's'}` : 'the same answer on both nodes'}
      </h2>
      <table>
        <thead>
          <tr>
            <th>Ends at</th>
            <th>{diff.left}</th>
            <th>{diff.right}</th>
            <th>Differs</th>
          </tr>
        </thead>
        <tbody>
          {diff.rows.map((r) => {
            const pod = pods[ipOf(r.key)];
            return (
              <tr
                key={r.key}
                className={r.differences.length ? 'diff-only' : undefined}
                data-end={r.key}
                data-differs={String(r.differences.length > 0)}
              >
                <td className="mono">
                  {r.key === 'drop' || r.key === 'reject' ? r.key.toUpperCase() : r.key}
                  {pod ? ` (${pod.namespace}/${pod.name})` : ''}
                </td>
                <td>{side(r.left)}</td>
                <td>{side(r.right)}</td>
                <td>{r.differences.join('; ') || <span className="muted">same</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
