import { notFound } from 'next/navigation';
import { serviceDetail } from '@/lib/server/cluster/service-detail';
import { nodeAddress } from '@/lib/server/trace/resolve-question';
import { ServiceFacts } from '@/components/service/ServiceFacts';
import { EndpointSlices } from '@/components/service/EndpointSlices';
import { NodeDataplane } from '@/components/service/NodeDataplane';
import { DriftFindings } from '@/components/service/DriftFindings';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { requireViewer } from '@/lib/viewer/require-viewer';
import { canSee } from '@/lib/viewer/viewer';

export const dynamic = 'force-dynamic';

export default async function ServicePage({
  params,
  searchParams,
}: {
  params: Promise<{ namespace: string; name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { namespace, name } = await params;
  const fromParam = (await searchParams).from;
  const from = typeof fromParam === 'string' && /^(pod|node):/.test(fromParam) ? fromParam : undefined;
  const g = await requireViewer();
  if (!g.ok) return <ErrorBox error={g.error} />;
  // A hidden namespace's Service is "not found", so its existence is not revealed either.
  if (!canSee(g.viewer, decodeURIComponent(namespace))) notFound();
  const d = serviceDetail(g.served, decodeURIComponent(namespace), decodeURIComponent(name));
  if (!d) notFound();
  const snap = g.served.snapshot;
  const defaultNode = snap.nodes.find((n) => !n.error)?.name;
  return (
    <>
      <h1>
        Service {d.service.namespace}/{d.service.name}
      </h1>
      <ServiceFacts
        svc={d.service}
        from={from}
        defaultNodeIp={defaultNode ? nodeAddress(snap, defaultNode) : undefined}
      />
      <h2>EndpointSlices</h2>
      <EndpointSlices slices={d.slices} />
      <h2>Dataplane per node</h2>
      <NodeDataplane rows={d.dataplane} />
      <h3>Rule-level drift (API vs node rules)</h3>
      <DriftFindings findings={d.findings} />
    </>
  );
}
