import Link from 'next/link';
import type { NodePortDataplane } from '@/lib/model/cluster';

/** Per node and port: what the node's rules do with the ClusterIP, and where that differs from the API. */
export function NodeDataplane({ rows }: { rows: NodePortDataplane[] }) {
  if (rows.length === 0) return <p className="muted">No ClusterIP: nothing is programmed on the nodes.</p>;
  return (
    <table aria-label="dataplane per node">
      <thead>
        <tr>
          <th>Node</th>
          <th>Port</th>
          <th>Node&apos;s rules reach</th>
          <th>API expects</th>
          <th>Drift</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.node}:${r.port}`} data-node={r.node} data-drift={r.drift?.drift ? 'true' : 'false'}>
            <td>{r.node}</td>
            <td>{r.port}</td>
            {r.error ? (
              <td colSpan={3}>
                <span className="badge bad">{r.error.kind}</span> {r.error.message}
              </td>
            ) : (
              <>
                <td className="mono">
                  {r.drift!.actual.length
                    ? r.drift!.actual.join(', ')
                    : r.drift!.actualVerdicts.join(', ').toUpperCase()}
                </td>
                <td className="mono">
                  {r.drift!.expected.length ? r.drift!.expected.join(', ') : r.drift!.expectedVerdict.toUpperCase()}
                </td>
                <td>
                  {r.drift!.drift ? (
                    <span className="badge bad">drift</span>
                  ) : (
                    <span className="badge ok">in sync</span>
                  )}
                  {r.drift!.missing.length > 0 && (
                    <div>
                      missing on node: <code>{r.drift!.missing.join(', ')}</code>
                    </div>
                  )}
                  {r.drift!.extra.length > 0 && (
                    <div>
                      stale on node: <code>{r.drift!.extra.join(', ')}</code>
                    </div>
                  )}
                </td>
              </>
            )}
            <td>{!r.error && <Link href={r.traceHref}>trace</Link>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
