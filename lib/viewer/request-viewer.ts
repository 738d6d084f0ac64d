/**
 * Resolves the viewer of one request. With `KUBEPATH_AUTH=kubernetes` every request must carry
 * `Authorization: Bearer <token>` (typically injected by the SSO proxy in front of the console) and
 * the API server decides what that token may see. Without it, the console is single-user and the
 * viewer sees everything the console holds.
 */
import 'server-only';
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { AccessReviewError, reviewAccess, type ApiEndpoint } from '@/lib/viewer/access-review';
import { viewerName } from '@/lib/viewer/viewer-name';
import { bearerToken, viewerAccess, type ViewerAccess } from './viewer-access';

export type ViewerResult =
  | {
      ok: true;
      access: ViewerAccess;
      authenticated: boolean;
      /** The user name the API server gives the token, when it would say. */ name?: string;
    }
  | { ok: false; status: 401 | 503; reason: string };

export function authEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return (env.KUBEPATH_AUTH ?? '').toLowerCase() === 'kubernetes';
}

/** The API server viewers' tokens are checked against: the cluster of KUBEPATH_AUTH_KUBECONFIG. */
export function authEndpoint(env: Record<string, string | undefined> = process.env): ApiEndpoint {
  const file = env.KUBEPATH_AUTH_KUBECONFIG;
  if (!file)
    throw new Error(
      'KUBEPATH_AUTH=kubernetes needs KUBEPATH_AUTH_KUBECONFIG (a kubeconfig naming the API server and its CA)',
    );
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`${file}: no current cluster`);
  const caData = cluster.caData
    ? Buffer.from(cluster.caData, 'base64').toString('utf8')
    : cluster.caFile
      ? readFileSync(cluster.caFile, 'utf8')
      : undefined;
  return { server: cluster.server, caData, skipTLSVerify: cluster.skipTLSVerify };
}

/** The console's own credentials from KUBEPATH_AUTH_KUBECONFIG (for TokenReview), when it names a user. */
function consoleKubeConfig(env: Record<string, string | undefined>): KubeConfig | undefined {
  const kc = new KubeConfig();
  kc.loadFromFile(env.KUBEPATH_AUTH_KUBECONFIG!);
  const user = kc.getCurrentUser();
  return user && (user.token || user.certData || user.certFile || user.authProvider || user.exec) ? kc : undefined;
}

export async function viewerFromRequest(
  authorization: string | null,
  namespaces: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<ViewerResult> {
  if (!authEnabled(env)) return { ok: true, access: { allNamespaces: true, namespaces }, authenticated: false };
  const token = bearerToken(authorization);
  if (!token)
    return {
      ok: false,
      status: 401,
      reason: 'this console requires a Kubernetes bearer token (Authorization: Bearer …)',
    };
  try {
    const api = authEndpoint(env);
    const access = await viewerAccess(api, token, namespaces, reviewAccess);
    const name = await viewerName(api, token, consoleKubeConfig(env));
    return { ok: true, access, authenticated: true, name: name?.username };
  } catch (err) {
    if (err instanceof AccessReviewError && err.status === 401) return { ok: false, status: 401, reason: err.message };
    return { ok: false, status: 503, reason: `cannot check access with the Kubernetes API: ${(err as Error).message}` };
  }
}
