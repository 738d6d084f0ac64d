/**
 * Who a viewer's bearer token belongs to, for the name an incident report gives. Asked in order:
 *  1. SelfSubjectReview (authentication.k8s.io/v1, Kubernetes ≥ 1.28) with the VIEWER's token: no
 *     privilege needed, the API server tells the token's owner who they are;
 *  2. TokenReview with the CONSOLE's credentials (the KUBEPATH_AUTH_KUBECONFIG user), which works on
 *     any version when the console may create tokenreviews (deploy/console-rbac.yaml grants it);
 *  3. otherwise nothing: the caller names the viewer by a token fingerprint.
 * A name is only ever what the API server said; failures are not errors (access was already decided
 * by SelfSubjectAccessReview), they only leave the name unknown.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import { AuthenticationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { viewerConfig, type ApiEndpoint } from '@/lib/viewer/access-review';

export interface ViewerName {
  username: string;
  /** Which API answered (shown nowhere; kept for tests and debugging). */
  via: 'SelfSubjectReview' | 'TokenReview';
}

const TTL_MS = 60_000;
const cache = new Map<string, { until: number; name: ViewerName | undefined }>();

async function selfSubjectReview(api: ApiEndpoint, token: string): Promise<string | undefined> {
  try {
    const res = await viewerConfig(api, token)
      .makeApiClient(AuthenticationV1Api)
      .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    return res.status?.userInfo?.username || undefined;
  } catch {
    return undefined; // 404 before 1.28; anything else leaves the name unknown
  }
}

async function tokenReview(consoleKc: KubeConfig, token: string): Promise<string | undefined> {
  try {
    const res = await consoleKc
      .makeApiClient(AuthenticationV1Api)
      .createTokenReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } });
    return res.status?.authenticated ? res.status.user?.username || undefined : undefined;
  } catch {
    return undefined; // 403 without the tokenreviews grant
  }
}

/** The user name the API server gives the token, or undefined. `consoleKc` is the console's own kubeconfig, if any. */
export async function viewerName(
  api: ApiEndpoint,
  token: string,
  consoleKc?: KubeConfig,
  now = Date.now(),
): Promise<ViewerName | undefined> {
  const key = createHash('sha256').update(`${api.server}\n${token}`).digest('hex');
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.name;
  let name: ViewerName | undefined;
  const self = await selfSubjectReview(api, token);
  if (self) name = { username: self, via: 'SelfSubjectReview' };
  else if (consoleKc) {
    const reviewed = await tokenReview(consoleKc, token);
    if (reviewed) name = { username: reviewed, via: 'TokenReview' };
  }
  cache.set(key, { until: now + TTL_MS, name });
  return name;
}
