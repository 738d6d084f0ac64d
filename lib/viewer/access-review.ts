/**
 * Asks the Kubernetes API what a viewer may see: one SelfSubjectAccessReview per (namespace,
 * resource), sent WITH THE VIEWER'S OWN TOKEN, so the API server's RBAC decides, not kubepath.
 * Only this module talks to the API for authorization; callers get plain data.
 */
import 'server-only';
import { AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';

export interface ApiEndpoint {
  server: string;
  /** PEM CA bundle for the API server, if not publicly trusted. */
  caData?: string;
  skipTLSVerify?: boolean;
}

export interface AccessQuestion {
  namespace: string; // '' = cluster-wide
  resource: string; // services, pods, endpointslices
  group?: string;
  verb?: string;
}

/** A client config that speaks to `api` as the holder of `token` (the viewer, not the console). */
export function viewerConfig(api: ApiEndpoint, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: api.server,
        caData: api.caData ? Buffer.from(api.caData).toString('base64') : undefined,
        skipTLSVerify: api.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: 'viewer', token }],
    contexts: [{ name: 'v', cluster: 'c', user: 'viewer' }],
    currentContext: 'v',
  });
  return kc;
}

export class AccessReviewError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AccessReviewError';
  }
}

/** Returns one boolean per question. A 401 (bad token) is an AccessReviewError with status 401. */
export async function reviewAccess(api: ApiEndpoint, token: string, questions: AccessQuestion[]): Promise<boolean[]> {
  const client = viewerConfig(api, token).makeApiClient(AuthorizationV1Api);
  return Promise.all(
    questions.map(async (q) => {
      try {
        const res = await client.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                namespace: q.namespace || undefined,
                resource: q.resource,
                group: q.group ?? '',
                verb: q.verb ?? 'list',
              },
            },
          },
        });
        return res.status?.allowed === true;
      } catch (err) {
        const status = (err as { code?: number }).code;
        throw new AccessReviewError(
          status === 401
            ? 'the viewer token was not accepted by the Kubernetes API'
            : `access review failed: ${(err as Error).message.split('\n')[0]}`,
          status,
        );
      }
    }),
  );
}
