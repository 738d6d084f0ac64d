/**
 * RBAC decisions from a REAL kube-apiserver v1.20.2 (token auth, RBAC): the shipped console
 * manifests grant read-only access to exactly what kubepath reads, and a viewer's bearer token is
 * resolved to the namespaces its RoleBindings allow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  RbacAuthorizationV1Api,
  loadAllYaml,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { apiserverUnavailable, startTestApiserver, type TestApiserver } from '@/testkit/apiserver';
import { loadKubeConfig } from '@/lib/k8s/client';
import { AccessReviewError, reviewAccess, type ApiEndpoint } from '@/lib/viewer/access-review';
import { viewerName } from '@/lib/viewer/viewer-name';
import { viewerAccess } from './viewer-access';

const skip = apiserverUnavailable();
if (skip) console.warn(`rbac.apiserver.test: skipped: ${skip}`);

describe.skipIf(!!skip)('auth > RBAC on a real apiserver', () => {
  let api: TestApiserver;
  let endpoint: ApiEndpoint;

  beforeAll(async () => {
    api = await startTestApiserver();
    endpoint = { server: api.server, caData: readFileSync(path.join(api.dir, 'certs/apiserver.crt'), 'utf8') };
    const { kc } = loadKubeConfig({ kubeconfig: api.kubeconfigs.admin });
    const core = kc.makeApiClient(CoreV1Api);
    for (const name of ['shop', 'pay', 'kube-system'])
      await core.createNamespace({ body: { metadata: { name } } }).catch(() => undefined);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: 'shop',
      body: {
        metadata: { name: 'read' },
        rules: [
          { apiGroups: [''], resources: ['services', 'pods'], verbs: ['list', 'get', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'get', 'watch'] },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: 'shop',
      body: {
        metadata: { name: 'viewer-read' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read' },
        subjects: [{ kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io' }],
      },
    });
    // The shipped console manifests, applied as an operator would.
    const objects = loadAllYaml(readFileSync(path.resolve('deploy/console-rbac.yaml'), 'utf8')) as KubernetesObject[];
    const client = KubernetesObjectApi.makeApiClient(kc);
    for (const o of objects) await client.create(o);
  }, 180_000);
  afterAll(async () => api?.stop());

  it('a namespace-bound viewer sees only that namespace', async () => {
    const a = await viewerAccess(endpoint, 'viewer-token', ['shop', 'pay', 'kube-system'], reviewAccess);
    expect(a).toEqual({ allNamespaces: false, namespaces: ['shop'] });
  });

  it('a viewer with no rights sees nothing; system:masters sees everything', async () => {
    expect(await viewerAccess(endpoint, 'nobody-token', ['shop', 'pay'], reviewAccess)).toEqual({
      allNamespaces: false,
      namespaces: [],
    });
    expect(await viewerAccess(endpoint, api.adminToken, ['shop', 'pay'], reviewAccess)).toEqual({
      allNamespaces: true,
      namespaces: ['shop', 'pay'],
    });
  });

  it('an unknown token is refused by the API (401), never treated as anonymous', async () => {
    await expect(
      reviewAccess(endpoint, 'made-up-token', [{ namespace: 'shop', resource: 'services' }]),
    ).rejects.toMatchObject({ name: AccessReviewError.name, status: 401 });
  });

  it('the shipped console ServiceAccount may get/list/watch what kubepath reads, and nothing else', async () => {
    const { kc } = loadKubeConfig({ kubeconfig: api.kubeconfigs.admin });
    const authz = kc.makeApiClient(AuthorizationV1Api);
    const can = async (verb: string, resource: string, namespace = '', group = '', name?: string) => {
      const r = await authz.createSubjectAccessReview({
        body: {
          spec: {
            user: 'system:serviceaccount:kubepath:kubepath-console',
            groups: ['system:serviceaccounts', 'system:serviceaccounts:kubepath', 'system:authenticated'],
            resourceAttributes: { verb, resource, namespace: namespace || undefined, group, name },
          },
        },
      });
      return r.status?.allowed === true;
    };
    for (const r of ['services', 'pods', 'nodes'])
      for (const v of ['get', 'list', 'watch']) expect(await can(v, r)).toBe(true);
    expect(await can('list', 'endpointslices', '', 'discovery.k8s.io')).toBe(true);
    expect(await can('get', 'configmaps', 'kube-system', '', 'coredns')).toBe(true);
    expect(await can('get', 'configmaps', 'kube-system', '', 'kube-proxy')).toBe(true);
    for (const v of ['create', 'update', 'patch', 'delete']) expect(await can(v, 'services', 'shop')).toBe(false);
    expect(await can('get', 'secrets', 'kube-system')).toBe(false);
    expect(await can('get', 'configmaps', 'kube-system', '', 'other')).toBe(false);
    expect(await can('create', 'pods/exec', 'shop')).toBe(false);
    // The optional grant: TokenReview (stores nothing), so reports can name the viewer.
    expect(await can('create', 'tokenreviews', '', 'authentication.k8s.io')).toBe(true);
    expect(await can('create', 'subjectaccessreviews', '', 'authorization.k8s.io')).toBe(false);
  });

  it('names a viewer by what the API server says the token is (TokenReview on 1.20), or not at all', async () => {
    const console = loadKubeConfig({ kubeconfig: api.kubeconfigs.admin }).kc;
    const noRights = loadKubeConfig({ kubeconfig: api.kubeconfigs.nobody }).kc;
    // 1.20 has no SelfSubjectReview: the console's TokenReview answers.
    expect(await viewerName(endpoint, 'viewer-token', console)).toEqual({ username: 'viewer', via: 'TokenReview' });
    // A console that may not create TokenReviews, or a token the API does not know: no name, no error.
    expect(await viewerName(endpoint, 'nobody-token', noRights)).toBeUndefined();
    expect(await viewerName(endpoint, 'made-up-token', console)).toBeUndefined();
    expect(await viewerName(endpoint, api.adminToken)).toBeUndefined(); // no console credentials given
  });
});
