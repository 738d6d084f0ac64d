import { ServiceList } from '@/components/services/ServiceList';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { requireViewer } from '@/lib/viewer/require-viewer';
import { visibleIn } from '@/lib/viewer/viewer';

export const dynamic = 'force-dynamic';

export default async function ServicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const g = await requireViewer();
  if (!g.ok) return <ErrorBox error={g.error} />;
  const { viewer, served: s } = g;
  const one = (k: string) => (Array.isArray(sp[k]) ? sp[k]?.[0] : sp[k]) ?? '';
  const defaultNode = s.snapshot.nodes.find((n) => !n.error)?.name;
  return (
    <>
      <h1>Services</h1>
      <ServiceList
        services={visibleIn(s.services(), viewer)}
        defaultNode={defaultNode}
        initial={{ text: one('q'), namespace: one('namespace'), type: one('type'), noReady: one('noReady') === '1' }}
      />
    </>
  );
}
