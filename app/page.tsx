import Link from 'next/link';
import { NodeCards } from '@/components/overview/NodeCards';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { overview } from '@/lib/server/cluster/cluster-index';
import { requireViewer } from '@/lib/viewer/require-viewer';
import { snapshotFor } from '@/lib/viewer/viewer';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const g = await requireViewer();
  if (!g.ok) return <ErrorBox error={g.error} />;
  const { viewer, served: s } = g;
  // Counts cover only what the viewer may see (the memoised overview when it sees everything).
  const o = viewer.access.allNamespaces ? s.overview() : overview(snapshotFor(s.snapshot, viewer));
  return (
    <>
      <h1>Cluster {o.cluster}</h1>
      <p className="muted">
        {/* The file's name only: its path on the server is nobody's business (kiosk screens included). */}
        Snapshot captured {o.capturedAt} · source: {s.source} (<code>{s.file}</code>)
      </p>
      {o.description && <p className="card">{o.description}</p>}
      <div className="row" aria-label="totals">
        <div className="card">
          <strong data-testid="count-services">{o.services}</strong> Services
        </div>
        <div className="card">
          <strong>{o.readyEndpoints}</strong> / {o.endpoints} endpoints ready
        </div>
        <div className="card">
          <Link href="/services?noReady=1">
            <strong>{o.servicesWithoutReady}</strong> Services with no ready endpoints
          </Link>
        </div>
        <div className="card">
          <strong>{o.nodes.length}</strong> nodes, {o.nodes.filter((n) => n.error).length} not collected
        </div>
      </div>
      <h2>Nodes</h2>
      <NodeCards nodes={o.nodes} />
      {o.apiNotes.length > 0 && (
        <>
          <h2>Kubernetes API notes</h2>
          <ul>
            {o.apiNotes.map((n) => (
              <li key={n.resource}>
                <code>{n.resource}</code>: {n.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
