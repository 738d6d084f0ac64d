import { served } from '@/lib/server/snapshot/served';
import { TraceQuerySchema, queryFromParams, zodIssues } from '@/lib/wire/trace-request';
import { TraceForm } from '@/components/trace/TraceForm';
import { TracePrefetch } from './TracePrefetch';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { ExportReport } from '@/components/report/ExportReport';
import { headers } from 'next/headers';
import { resolveViewer, visibleIn } from '@/lib/viewer/viewer';

export const dynamic = 'force-dynamic';

/** The source box suggests pods (the asked node's first); any `pod:ns/name` still works when typed. A
 *  datalist of thousands of pods cost ~0.5 MB of HTML + RSC payload on every trace page at 10k Services. */
const MAX_SUGGESTIONS = 200;
function sourceSuggestions(pods: { namespace: string; name: string; nodeName?: string }[], node?: string): string[] {
  const first = node ? pods.filter((p) => p.nodeName === node) : [];
  const rest = node ? pods.filter((p) => p.nodeName !== node) : pods;
  return [...first, ...rest].slice(0, MAX_SUGGESTIONS).map((p) => `pod:${p.namespace}/${p.name}`);
}

export default async function TracePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = queryFromParams(await searchParams);
  const s = served();
  const v = await resolveViewer(await headers(), s.snapshot);
  if (!v.ok) return <ErrorBox error={{ kind: 'unauthenticated', message: v.reason }} title="Access refused" />;
  const options = {
    nodes: s.snapshot.nodes.map((n) => ({ name: n.name, error: n.error?.kind })),
    pods: sourceSuggestions(visibleIn(s.snapshot.api?.pods ?? [], v.viewer), typeof raw.node === 'string' ? raw.node : undefined),
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
      {/* No Suspense boundary here on purpose: "Trace this ClusterIP" navigates in a transition that keeps
          the Service list on screen until the answer is in, then draws it at once. A fallback shown first
          would hold the answer back by React's reveal throttle (300 ms) on every click. */}
      {parsed?.success && <TracePrefetch query={new URLSearchParams(raw).toString()} viewer={v.viewer} served={s} />}
      {parsed?.success && <ExportReport query={new URLSearchParams(raw).toString()} />}
    </>
  );
}
