import Link from 'next/link';
import type { NodeSummary } from '@/lib/model/cluster';

/** One card per node: proxy mode, when collected, and what failed. An uncollected node says so. */
export function NodeCards({ nodes }: { nodes: NodeSummary[] }) {
  return (
    <div className="cards">
      {nodes.map((n) => (
        <section key={n.name} className="card" aria-label={`node ${n.name}`} data-node={n.name}>
          <h3>
            <Link href={`/nodes/${encodeURIComponent(n.name)}`}>{n.name}</Link>
          </h3>
          {n.error ? (
            <p className="badge bad" data-testid="node-error">
              {n.error.kind}: not collected
            </p>
          ) : (
            <p>
              <span className="badge ok">collected</span>
              <span className="badge">proxy mode: {n.proxyMode}</span>
            </p>
          )}
          {n.error && <p className="mono">{n.error.message}</p>}
          <p className="muted">
            via {n.via} · {new Date(n.capturedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC
          </p>
          {!n.error && (
            <p className="muted">
              captures: {n.captureKinds.join(', ')}; {n.podNetns} pod netns
            </p>
          )}
          {n.warnings.length > 0 && (
            <ul aria-label="collection warnings">
              {n.warnings.map((w) => (
                <li key={w} className="badge warn">
                  {w}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
