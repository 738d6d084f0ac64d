import { served } from '@/lib/api/served';
import { TraceQuerySchema, queryFromParams, zodIssues } from '@/lib/api/trace-request';
import { TraceForm } from '@/components/trace/TraceForm';
import { TraceView } from '@/components/trace/TraceView';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { ExportReport } from '@/components/report/ExportReport';
import { headers } from 'next/headers';
import { resolveViewer, visibleIn } from '@/lib/api/viewer';

export const dynamic = 'force-dynamic';

export default async function TracePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = queryFromParams(await searchParams);
  const s = served();
  const v = await resolveViewer(await headers(), s.snapshot);
  if (!v.ok) return <ErrorBox error={{ kind: 'unauthenticated', message: v.reason }} title="Access refused" />;
  const options = {
    nodes: s.snapshot.nodes.map((n) => ({ name: n.name, error: n.error?.kind })),
    pods: visibleIn(s.snapshot.api?.pods ?? [], v.viewer).slice(0, 5000).map((p) => `pod:${p.namespace}/${p.name}`),
  };
  const asked = Object.keys(raw).length > 0;
  const parsed = asked ? TraceQuerySchema.safeParse(raw) : undefined;
  return (
    <>
      <h1>Trace a packet</h1>
      <TraceForm value={raw} options={options} />
      {!asked && <p className="muted">Pick a source, a node and a destination, or press “Trace this ClusterIP” on a Service.</p>}
      {parsed && !parsed.success && (
        <ErrorBox error={{ kind: 'invalid-request', message: 'fix the question and trace again', issues: zodIssues(parsed.error) }} />
      )}
      {parsed?.success && <TraceView query={new URLSearchParams(raw).toString()} />}
      {parsed?.success && <ExportReport query={new URLSearchParams(raw).toString()} />}
    </>
  );
}
