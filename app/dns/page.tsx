import { served } from '@/lib/server/snapshot/served';
import { queryFromParams, zodIssues } from '@/lib/wire/trace-request';
import { DnsQuerySchema } from '@/lib/wire/dns-request';
import { DnsForm } from '@/components/dns/DnsForm';
import { DnsView } from '@/components/dns/DnsView';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { ExportReport } from '@/components/report/ExportReport';
import { headers } from 'next/headers';
import { resolveViewer, visibleIn } from '@/lib/viewer/viewer';

export const dynamic = 'force-dynamic';

export default async function DnsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = queryFromParams(await searchParams);
  const s = served();
  const v = await resolveViewer(await headers(), s.snapshot);
  if (!v.ok) return <ErrorBox error={{ kind: 'unauthenticated', message: v.reason }} title="Access refused" />;
  const pods = visibleIn(s.snapshot.api?.pods ?? [], v.viewer).slice(0, 5000).map((p) => `${p.namespace}/${p.name}`);
  const asked = Object.keys(raw).length > 0;
  const parsed = asked ? DnsQuerySchema.safeParse(raw) : undefined;
  return (
    <>
      <h1>Resolve a name from a pod</h1>
      <DnsForm value={raw} pods={pods} />
      {!asked && <p className="muted">Pick a pod and a name, or press “Resolve a name from this pod” on a node.</p>}
      {parsed && !parsed.success && (
        <ErrorBox title="This name cannot be resolved" error={{ kind: 'invalid-request', message: 'fix the question and resolve again', issues: zodIssues(parsed.error) }} />
      )}
      {parsed?.success && <DnsView query={new URLSearchParams(raw).toString()} />}
      {parsed?.success && <ExportReport query={new URLSearchParams(raw).toString()} />}
    </>
  );
}
