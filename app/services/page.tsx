import { ServiceList } from '@/components/services/ServiceList';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { requireViewer } from '@/lib/viewer/require-viewer';
import { visibleIn } from '@/lib/viewer/viewer';

export const dynamic = 'force-dynamic';

/** Pods offered as the source of "Trace this ClusterIP" here; beyond, the trace page's picker and source box take any pod. */
const MAX_FROM_PODS = 1000;

export default async function ServicesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const g = await requireViewer();
  if (!g.ok) return <ErrorBox error={g.error} />;
  const { viewer, served: s } = g;
  const one = (k: string) => (Array.isArray(sp[k]) ? sp[k]?.[0] : sp[k]) ?? '';
  // "Trace this ClusterIP" asks from which pod; the last choice lives in this page's URL (`from`).
  const pods = visibleIn(s.snapshot.api?.pods ?? [], viewer)
    .slice(0, MAX_FROM_PODS)
    .map((p) => ({ ref: `pod:${p.namespace}/${p.name}`, node: p.nodeName }));
  const from = one('from');
  return (
    <>
      <h1>Services</h1>
      <ServiceList
        services={visibleIn(s.services(), viewer)}
        pods={pods}
        initialFrom={/^(pod|node):/.test(from) ? from : ''}
        initial={{ text: one('q'), namespace: one('namespace'), type: one('type'), noReady: one('noReady') === '1' }}
      />
    </>
  );
}
