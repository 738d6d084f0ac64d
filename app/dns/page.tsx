import { served } from '@/lib/api/served';
import { queryFromParams, zodIssues } from '@/lib/api/trace-request';
import { DnsQuerySchema } from '@/lib/api/dns-request';
import { DnsForm } from '@/components/dns/DnsForm';
import { DnsView } from '@/components/dns/DnsView';
import { ErrorBox } from '@/components/ui/ErrorBox';

export const dynamic = 'force-dynamic';

export default async function DnsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = queryFromParams(await searchParams);
  const pods = (served().snapshot.api?.pods ?? []).slice(0, 5000).map((p) => `${p.namespace}/${p.name}`);
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
    </>
  );
}
