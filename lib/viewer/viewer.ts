/**
 * The one place the console resolves WHO is asking and filters what a handler returns. Every route
 * and server page that serves cluster data calls `resolveViewer` first: with `KUBEPATH_AUTH=kubernetes`
 * the request must carry a bearer token and the API server (SelfSubjectAccessReview) decides which
 * namespaces it may see; without auth the console is single-user and sees everything.
 *
 * Visibility rules (see lib/viewer/filter.ts): Services, EndpointSlices and pods are filtered by
 * namespace; a trace or report that touches a hidden namespace is refused as a whole (403), because a
 * partial path would mislead; a node's raw captures hold every namespace's rules, so only a viewer
 * who may see all namespaces gets them.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { TraceResult } from '@/lib/model/trace';
import { viewerFromRequest } from '@/lib/viewer/request-viewer';
import { filterApiObjects, traceVisibility } from '@/lib/viewer/filter';
import { bearerToken, canSeeNamespace, type ViewerAccess } from '@/lib/viewer/viewer-access';
import { apiNamespaces, perAccess } from '@/lib/viewer/namespace-view';

export interface RequestViewer {
  access: ViewerAccess;
  authenticated: boolean;
  /**
   * Who to name in an incident report: the user name the API server gives the viewer's token
   * (lib/k8s/viewer-name.ts), with a short token fingerprint; only the fingerprint when the API
   * would not say. Never the token itself.
   */
  identity: string;
}

export type ViewerOutcome = { ok: true; viewer: RequestViewer } | { ok: false; status: 401 | 503; reason: string };

/** Anything with `get(name)`: a Fetch `Headers` (route handlers) or Next's `headers()` (pages). */
export interface HeaderSource {
  get(name: string): string | null;
}

/** Every namespace the snapshot mentions, plus kube-system (which gates the cluster-wide configs). */
export function snapshotNamespaces(snap: ClusterSnapshot): string[] {
  return apiNamespaces(snap.api); // computed once per snapshot
}

export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

/** Resolves the viewer of one request against the served snapshot's namespaces. */
export async function resolveViewer(
  headers: HeaderSource,
  snap: ClusterSnapshot,
  env: Record<string, string | undefined> = process.env,
): Promise<ViewerOutcome> {
  const authorization = headers.get('authorization');
  const r = await viewerFromRequest(authorization, snapshotNamespaces(snap), env);
  if (!r.ok) return r;
  const token = r.authenticated ? bearerToken(authorization) : undefined;
  const identity = !token
    ? 'console user'
    : r.name
      ? `${r.name} (token sha256:${tokenFingerprint(token)})`
      : `authenticated viewer (token sha256:${tokenFingerprint(token)})`;
  return { ok: true, viewer: { access: r.access, authenticated: r.authenticated, identity } };
}

/** The snapshot as this viewer may see it (same object when the viewer sees every namespace). */
export function snapshotFor(snap: ClusterSnapshot, viewer: RequestViewer): ClusterSnapshot {
  if (viewer.access.allNamespaces || !snap.api) return snap;
  const api = snap.api;
  return perAccess(snap, viewer.access, () => ({ ...snap, api: filterApiObjects(api, viewer.access) }));
}

/** Keeps the items whose namespace the viewer may see (computed once per list and access: treat the result as read-only). */
export function visibleIn<T extends { namespace: string }>(items: T[], viewer: RequestViewer): T[] {
  if (viewer.access.allNamespaces) return items;
  return perAccess(items, viewer.access, () => items.filter((i) => canSeeNamespace(viewer.access, i.namespace)));
}

export function canSee(viewer: RequestViewer, namespace: string): boolean {
  return canSeeNamespace(viewer.access, namespace);
}

/** Raw node captures (iptables-save, nft, ipvsadm) carry every namespace's rules. */
export function nodeCapturesRefusal(viewer: RequestViewer): string | undefined {
  return viewer.access.allNamespaces
    ? undefined
    : "a node's raw captures contain the rules of every namespace; viewing them needs list access in all namespaces";
}

/** The reason to refuse a set of traces (403), or undefined when the viewer may see all of them. */
export function tracesRefusal(
  traces: { result?: TraceResult }[],
  viewer: RequestViewer,
  snap: ClusterSnapshot,
): string | undefined {
  if (viewer.access.allNamespaces) return undefined;
  for (const t of traces) {
    if (!t.result) continue;
    const v = traceVisibility(t.result, viewer.access, snap.api);
    if (!v.visible) return v.reason;
  }
  return undefined;
}
