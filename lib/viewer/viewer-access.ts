/**
 * What one viewer may see, by namespace. The console runs with its own read-only ServiceAccount and
 * holds everything; each viewer's bearer token is checked against the API (SelfSubjectAccessReview)
 * and the answer filters Services, pods, traces and reports. Cached briefly per token.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import type { AccessQuestion, ApiEndpoint } from '@/lib/viewer/access-review';

export interface ViewerAccess {
  /** May list the resource in every namespace. */
  allNamespaces: boolean;
  /** Namespaces where the viewer may list Services (the unit of visibility in kubepath). */
  namespaces: string[];
}

export type Reviewer = (api: ApiEndpoint, token: string, questions: AccessQuestion[]) => Promise<boolean[]>;

const TTL_MS = 30_000;
const cache = new Map<string, { until: number; access: ViewerAccess }>();

/** The viewer sees a namespace when it may list Services, EndpointSlices and Pods there. */
const RESOURCES: Omit<AccessQuestion, 'namespace'>[] = [
  { resource: 'services' },
  { resource: 'endpointslices', group: 'discovery.k8s.io' },
  { resource: 'pods' },
];

export async function viewerAccess(
  api: ApiEndpoint,
  token: string,
  namespaces: string[],
  review: Reviewer,
  now = Date.now(),
): Promise<ViewerAccess> {
  const key = createHash('sha256')
    .update(`${api.server}\n${token}\n${[...namespaces].sort().join(',')}`)
    .digest('hex');
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.access;
  const clusterWide = await review(
    api,
    token,
    RESOURCES.map((r) => ({ ...r, namespace: '' })),
  );
  let access: ViewerAccess;
  if (clusterWide.every(Boolean)) {
    access = { allNamespaces: true, namespaces: [...namespaces] };
  } else {
    const questions = namespaces.flatMap((ns) => RESOURCES.map((r) => ({ ...r, namespace: ns })));
    const answers = await review(api, token, questions);
    const allowed = namespaces.filter((_, i) =>
      answers.slice(i * RESOURCES.length, (i + 1) * RESOURCES.length).every(Boolean),
    );
    access = { allNamespaces: false, namespaces: allowed };
  }
  cache.set(key, { until: now + TTL_MS, access });
  return access;
}

/** The namespaces as a Set, once per access object (a viewer's access is cached and reused). */
const visibleSets = new WeakMap<ViewerAccess, Set<string>>();
function visibleNamespaceSet(access: ViewerAccess): Set<string> {
  let got = visibleSets.get(access);
  if (!got) visibleSets.set(access, (got = new Set(access.namespaces)));
  return got;
}

export function canSeeNamespace(access: ViewerAccess, namespace: string): boolean {
  return access.allNamespaces || visibleNamespaceSet(access).has(namespace);
}

/** Extracts a bearer token; never logs it. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}
