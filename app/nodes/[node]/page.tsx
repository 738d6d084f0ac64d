import { notFound } from 'next/navigation';
import Link from 'next/link';
import { CAPTURE_PAGE_LINES, nodeDetail } from '@/lib/server/cluster/node-detail';
import { ErrorBox } from '@/components/ui/ErrorBox';
import { InterfacesTable } from '@/components/node/InterfacesTable';
import { RoutesTable } from '@/components/node/RoutesTable';
import { RawCaptures } from '@/components/node/RawCaptures';
import { requireViewer } from '@/lib/viewer/require-viewer';

export const dynamic = 'force-dynamic';

/** `?capture=<name>&from=<line>`: which page of which capture; a bad value is named, page 1 shown. */
function capturePage(sp: Record<string, string | string[] | undefined>): {
  capture?: string;
  from?: number;
  problem?: string;
} {
  const { capture, from } = sp;
  if (Array.isArray(capture) || Array.isArray(from)) return { problem: 'capture and from may be given once each' };
  if (from !== undefined && !/^[0-9]{1,9}$/.test(from)) return { capture, problem: 'from must be a line number' };
  return { capture, from: from === undefined ? undefined : Number(from) };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export default async function NodePage({
  params,
  searchParams,
}: {
  params: Promise<{ node: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { node } = await params;
  const page = capturePage(await searchParams);
  // A node's raw captures hold every namespace's rules: the gate refuses (403) a namespace-bound viewer.
  const g = await requireViewer({ nodeCaptures: true });
  if (!g.ok) return <ErrorBox error={g.error} />;
  const name = safeDecode(node);
  const d = name === undefined ? undefined : nodeDetail(g.served, name, page);
  if (!d) notFound();
  const base = `/nodes/${encodeURIComponent(d.node.name)}`;
  return (
    <>
      <h1>Node {d.node.name}</h1>
      <p className="muted">
        via {d.node.via} · captured {d.node.capturedAt} · proxy mode {d.node.proxyMode ?? 'unknown'}
      </p>
      {page.problem && (
        <ErrorBox
          error={{
            kind: 'invalid-request',
            message: `${page.problem}; showing the first page of every capture`,
            issues: [],
          }}
        />
      )}
      {d.error && <ErrorBox error={d.error} />}
      {!d.node.error && (
        <>
          <h2>Interfaces</h2>
          <InterfacesTable interfaces={d.interfaces} label={`interfaces of ${d.node.name}`} />
          <h2>Routes</h2>
          <RoutesTable routes={d.routes} />
          <h2>Pod network namespaces ({d.pods.length})</h2>
          {d.pods.map((p) => (
            <section key={p.pod} className="card" aria-label={`pod ${p.pod}`}>
              <h3>
                {p.pod}{' '}
                {p.hostVeth && (
                  <span className="badge">
                    host side: <code>{p.hostVeth}</code>
                  </span>
                )}
                {!p.pod.startsWith('pid ') && (
                  <>
                    {' '}
                    <Link href={`/dns?${new URLSearchParams({ pod: p.pod })}`} className="button secondary">
                      Resolve a name from this pod
                    </Link>
                  </>
                )}
              </h3>
              {p.parseError ? (
                <ErrorBox error={{ kind: 'parse', message: p.parseError }} />
              ) : (
                <InterfacesTable interfaces={p.interfaces} label={`interfaces of pod ${p.pod}`} />
              )}
            </section>
          ))}
        </>
      )}
      <h2>CNI configuration</h2>
      {d.raw.some((r) => r.name.startsWith('/')) ? (
        <RawCaptures
          raw={d.raw.filter((r) => r.name.startsWith('/'))}
          open
          basePath={base}
          pageLines={CAPTURE_PAGE_LINES}
        />
      ) : (
        <p className="muted">No CNI config files were captured.</p>
      )}
      <h2>Raw captures</h2>
      <RawCaptures
        raw={d.raw.filter((r) => !r.name.startsWith('/'))}
        basePath={base}
        pageLines={CAPTURE_PAGE_LINES}
        opened={page.capture}
      />
    </>
  );
}
