import Link from 'next/link';
import path from 'node:path';
import { served } from '@/lib/server/snapshot/served';
import { NodeCards } from '@/components/overview/NodeCards';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { headers } from 'next/headers';
import { overview } from '@/lib/server/cluster/cluster-index';
import { resolveViewer, snapshotFor } from '@/lib/viewer/viewer';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const s = served();
  const v = await resolveViewer(await headers(), s.snapshot);
  if (!v.ok) return <ErrorBox error={{ kind: 'unauthenticated', message: v.reason }} title="Access refused" />;
  // Counts cover only what the viewer may see (the memoised overview when it sees everything).
  const o = v.viewer.access.allNamespaces ? s.overview() : overview(snapshotFor(s.snapshot, v.viewer));
  return (
    <>
      <h1>Cluster {o.cluster}</h1>
      <p className="muted">
        Snapshot captured {o.capturedAt} · source: {s.source} (<code>{path.basename(s.path)}</code>) {/* the file name only: the server's directories are nobody's business */}
      </p>
      {o.description && <p className="card">{o.description}</p>}
      <div className="row" aria-label="totals">
        <div className="card"><strong data-testid="count-services">{o.services}</strong> Services</div>
        <div className="card"><strong>{o.readyEndpoints}</strong> / {o.endpoints} endpoints ready</div>
        <div className="card">
          <Link href="/services?noReady=1"><strong>{o.servicesWithoutReady}</strong> Services with no ready endpoints</Link>
        </div>
        <div className="card"><strong>{o.nodes.length}</strong> nodes, {o.nodes.filter((n) => n.error).length} not collected</div>
      </div>
      <h2>Nodes</h2>
      <NodeCards nodes={o.nodes} />
      {o.apiNotes.length > 0 && (
        <>
          <h2>Kubernetes API notes</h2>
          <ul>{o.apiNotes.map((n) => <li key={n.resource}><code>{n.resource}</code>: {n.reason}</li>)}</ul>
        </>
      )}
    </>
  );
}
