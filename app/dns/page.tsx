import { queryFromParams, zodIssues } from '@/lib/wire/trace-request';
import { DnsQuerySchema } from '@/lib/wire/dns-request';
import { DnsForm } from '@/components/dns/DnsForm';
import { DnsView } from '@/components/dns/DnsView';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { ExportReport } from '@/components/report/ExportReport';
import { requireViewer } from '@/lib/viewer/require-viewer';
import { visibleIn } from '@/lib/viewer/viewer';

export const dynamic = 'force-dynamic';

export default async function DnsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = queryFromParams(await searchParams);
  const g = await requireViewer();
  if (!g.ok) return <ErrorBox error={g.error} />;
  const pods = visibleIn(g.served.snapshot.api?.pods ?? [], g.viewer)
    .slice(0, 5000)
    .map((p) => `${p.namespace}/${p.name}`);
  const asked = Object.keys(raw).length > 0;
  const parsed = asked ? DnsQuerySchema.safeParse(raw) : undefined;
  return (
    <>
      <h1>Resolve a name from a pod</h1>
      <DnsForm value={raw} pods={pods} />
      {!asked && <p className="muted">Pick a pod and a name, or press “Resolve a name from this pod” on a node.</p>}
      {parsed && !parsed.success && (
        <ErrorBox
          title="This name cannot be resolved"
          error={{
            kind: 'invalid-request',
            message: 'fix the question and resolve again',
            issues: zodIssues(parsed.error),
          }}
        />
      )}
      {parsed?.success && <DnsView query={new URLSearchParams(raw).toString()} />}
      {parsed?.success && <ExportReport query={new URLSearchParams(raw).toString()} />}
    </>
  );
}
