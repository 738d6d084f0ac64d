import { notFound } from 'next/navigation';
import Link from 'next/link';
import { nodeDetail } from '@/lib/server/cluster/node-detail';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { InterfacesTable } from '@/components/node/InterfacesTable';
import { RoutesTable } from '@/components/node/RoutesTable';
import { RawCaptures } from '@/components/node/RawCaptures';
import { requireViewer } from '@/lib/viewer/require-viewer';

export const dynamic = 'force-dynamic';

export default async function NodePage({ params }: { params: Promise<{ node: string }> }) {
  const { node } = await params;
  // A node's raw captures hold every namespace's rules: the gate refuses (403) a namespace-bound viewer.
  const g = await requireViewer({ nodeCaptures: true });
  if (!g.ok) return <ErrorBox error={g.error} />;
  const d = nodeDetail(g.served, decodeURIComponent(node));
  if (!d) notFound();
  return (
    <>
      <h1>Node {d.node.name}</h1>
      <p className="muted">via {d.node.via} · captured {d.node.capturedAt} · proxy mode {d.node.proxyMode ?? 'unknown'}</p>
      {d.error && <ErrorBox error={d.error} />}
      {!d.node.error && (
        <>
          <h2>Interfaces</h2>
          <InterfacesTable interfaces={d.interfaces} label={`interfaces of ${d.node.name}`} />
          <h2>Routes</h2>
          <RoutesTable routes={d.routes} />
          <h2>Pod network namespaces ({d.pods.length})</h2>
          {d.pods.map((p) => (
            <section key={p.pod} className="card" aria-label={`pod ${p.pod}`}>
              <h3>{p.pod} {p.hostVeth && <span className="badge">host side: <code>{p.hostVeth}</code></span>}
                {!p.pod.startsWith('pid ') && <> <Link href={`/dns?${new URLSearchParams({ pod: p.pod })}`} className="button secondary">Resolve a name from this pod</Link></>}</h3>
              {p.parseError ? <ErrorBox error={{ kind: 'parse', message: p.parseError }} /> : <InterfacesTable interfaces={p.interfaces} label={`interfaces of pod ${p.pod}`} />}
            </section>
          ))}
        </>
      )}
      <h2>CNI configuration</h2>
      {d.raw.some((r) => r.name.startsWith('/')) ? <RawCaptures raw={d.raw.filter((r) => r.name.startsWith('/'))} open /> : <p className="muted">No CNI config files were captured.</p>}
      <h2>Raw captures</h2>
      <RawCaptures raw={d.raw.filter((r) => !r.name.startsWith('/'))} />
    </>
  );
}
