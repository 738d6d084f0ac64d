import { served } from '@/lib/server/snapshot/served';
import { ServiceList } from '@/components/services/ServiceList';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { headers } from 'next/headers';
import { resolveViewer, visibleIn } from '@/lib/viewer/viewer';

export const dynamic = 'force-dynamic';

export default async function ServicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const s = served();
  const v = await resolveViewer(await headers(), s.snapshot);
  if (!v.ok) return <ErrorBox error={{ kind: 'unauthenticated', message: v.reason }} title="Access refused" />;
  const one = (k: string) => (Array.isArray(sp[k]) ? sp[k]?.[0] : sp[k]) ?? '';
  const defaultNode = s.snapshot.nodes.find((n) => !n.error)?.name;
  return (
    <>
      <h1>Services</h1>
      <ServiceList
        services={visibleIn(s.services(), v.viewer)}
        defaultNode={defaultNode}
        initial={{ text: one('q'), namespace: one('namespace'), type: one('type'), noReady: one('noReady') === '1' }}
      />
    </>
  );
}
