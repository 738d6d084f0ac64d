import { TraceQuerySchema, queryFromParams, zodIssues } from '@/lib/wire/trace-request';
import { handleTrace } from '@/lib/server/trace/trace-handler';
import type { TraceResponse } from '@/lib/wire/trace';
import { TraceForm } from '@/components/trace/TraceForm';
import { PodPicker, MAX_PICKER_PODS } from '@/components/trace/PodPicker';
import { TracePrefetch } from './TracePrefetch';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { ExportReport } from '@/components/report/ExportReport';
import { tracesRefusal, visibleIn } from '@/lib/viewer/viewer';
import { requireViewer } from '@/lib/viewer/require-viewer';

export const dynamic = 'force-dynamic';

/** The source box suggests pods (the asked node's first); any `pod:ns/name` still works when typed. A
 *  datalist of thousands of pods cost ~0.5 MB of HTML + RSC payload on every trace page at 10k Services. */
const MAX_SUGGESTIONS = 200;
function sourceSuggestions(pods: { namespace: string; name: string; nodeName?: string }[], node?: string): string[] {
  const first = node ? pods.filter((p) => p.nodeName === node) : [];
  const rest = node ? pods.filter((p) => p.nodeName !== node) : pods;
  return [...first, ...rest].slice(0, MAX_SUGGESTIONS).map((p) => `pod:${p.namespace}/${p.name}`);
}

export default async function TracePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = queryFromParams(await searchParams);
  const g = await requireViewer();
  if (!g.ok) return <ErrorBox error={g.error} />;
  const { served: s } = g;
  const visiblePods = visibleIn(s.snapshot.api?.pods ?? [], g.viewer);
  const options = {
    nodes: s.snapshot.nodes.map((n) => ({ name: n.name, error: n.error?.kind })),
    pods: sourceSuggestions(visiblePods, typeof raw.node === 'string' ? raw.node : undefined),
  };
  // "Trace this ClusterIP" arrives with the destination and no source: ask from which pod first.
  const asksSource = !!raw.dst && !raw.src;
  const asked = Object.keys(raw).length > 0 && !asksSource;
  const parsed = asked ? TraceQuerySchema.safeParse(raw) : undefined;
  // Asking for the source still reads the rest of the question: a bad destination or port is said
  // now, as the API says it, not after a pod was picked.
  const restChecked = asksSource ? TraceQuerySchema.safeParse(raw) : undefined;
  const restIssues =
    restChecked && !restChecked.success ? zodIssues(restChecked.error).filter((i) => i.path !== 'src') : [];
  const query = new URLSearchParams(raw).toString();
  // Traced once here: the answer seeds the client's cache, and only a question that has an answer
  // the viewer may see offers a report (an untraceable question offers none).
  const answered = parsed?.success ? handleTrace(new URLSearchParams(query)) : undefined;
  const seeded =
    answered?.status === 200 && !tracesRefusal((answered.body as TraceResponse).traces, g.viewer, s.snapshot)
      ? (answered.body as TraceResponse)
      : undefined;
  const { src: _src, node: _node, ...keep } = raw;
  return (
    <>
      <h1>Trace a packet</h1>
      {asksSource && (
        <PodPicker
          pods={visiblePods
            .slice(0, MAX_PICKER_PODS)
            .map((p) => ({ ref: `${p.namespace}/${p.name}`, node: p.nodeName, ip: p.podIPs[0] }))}
          total={visiblePods.length}
          keep={keep}
          nodes={options.nodes.filter((n) => !n.error).map((n) => n.name)}
        />
      )}
      <TraceForm value={raw} options={options} />
      {!asked && !asksSource && (
        <p className="muted">
          Pick a source and a destination, or press “Trace this ClusterIP” on a Service. The source decides the node.
        </p>
      )}
      {((parsed && !parsed.success) || restIssues.length > 0) && (
        <ErrorBox
          error={{
            kind: 'invalid-request',
            message: 'fix the question and trace again',
            issues: parsed && !parsed.success ? zodIssues(parsed.error) : restIssues,
          }}
        />
      )}
      {/* No Suspense boundary here on purpose: "Trace this ClusterIP" navigates in a transition that keeps
          the Service list on screen until the answer is in, then draws it at once. A fallback shown first
          would hold the answer back by React's reveal throttle (300 ms) on every click. */}
      {parsed?.success && <TracePrefetch query={query} seeded={seeded} />}
      {seeded && seeded.traces.some((t) => t.result) && <ExportReport query={query} />}
    </>
  );
}
