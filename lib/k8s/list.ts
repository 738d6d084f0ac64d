/**
 * Reads everything kubepath needs from the API in one pass and reshapes it. A resource the caller
 * may not read (403) yields a partial view with a note, not a failure; an unreachable or
 * unauthenticated API is a failure.
 */
import {
  CoreV1Api,
  DiscoveryV1Api,
  KubernetesObjectApi,
  type KubeConfig,
  type V1EndpointSlice,
} from '@kubernetes/client-node';
import type { ApiObjects, EndpointSliceModel } from '@/lib/model/k8s';
import { classifyApiError } from './errors';
import { toEndpointSliceModel, toNodeModel, toPodModel, toServiceModel } from './reshape';

export class ApiReadError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = 'ApiReadError';
  }
}

/** EndpointSlices: discovery.k8s.io/v1 (1.21+), falling back to v1beta1 (1.17–1.24, e.g. the lab's 1.20). */
export async function listEndpointSlices(kc: KubeConfig): Promise<EndpointSliceModel[]> {
  try {
    const list = await kc.makeApiClient(DiscoveryV1Api).listEndpointSliceForAllNamespaces();
    return list.items.map((es) => toEndpointSliceModel(es, 'discovery.k8s.io/v1'));
  } catch (err) {
    if (classifyApiError(err).kind !== 'not-found') throw err;
  }
  const list = await KubernetesObjectApi.makeApiClient(kc).list<V1EndpointSlice>(
    'discovery.k8s.io/v1beta1',
    'EndpointSlice',
  );
  return list.items.map((es) => toEndpointSliceModel(es, 'discovery.k8s.io/v1beta1'));
}

export async function listApiObjects(kc: KubeConfig): Promise<ApiObjects> {
  const core = kc.makeApiClient(CoreV1Api);
  const out: ApiObjects = { services: [], endpointSlices: [], pods: [], nodes: [], notes: [] };
  const step = async (resource: string, fn: () => Promise<void>, optional = false) => {
    try {
      await fn();
    } catch (err) {
      const f = classifyApiError(err);
      if (f.kind === 'forbidden' || (optional && f.kind === 'not-found')) {
        out.notes.push({ resource, reason: `${f.kind}${f.status ? ` (${f.status})` : ''}: ${f.message}` });
        return;
      }
      throw new ApiReadError(`reading ${resource}: ${f.kind}${f.status ? ` (${f.status})` : ''}: ${f.message}`, f.kind);
    }
  };
  // Sequential on purpose: the first call surfaces unreachable/unauthorized before the others pile up.
  await step('services', async () => {
    out.services = (await core.listServiceForAllNamespaces()).items.map(toServiceModel);
  });
  await step('endpointslices', async () => {
    out.endpointSlices = await listEndpointSlices(kc);
  });
  await step('pods', async () => {
    out.pods = (await core.listPodForAllNamespaces()).items.map(toPodModel);
  });
  await step('nodes', async () => {
    out.nodes = (await core.listNode()).items.map(toNodeModel);
  });
  await step(
    'configmaps/kube-system/coredns',
    async () => {
      const cm = await core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' });
      out.corefile = cm.data?.Corefile;
    },
    true,
  );
  await step(
    'configmaps/kube-system/kube-proxy',
    async () => {
      const cm = await core.readNamespacedConfigMap({ name: 'kube-proxy', namespace: 'kube-system' });
      out.kubeProxyConfig = cm.data?.['config.conf'];
    },
    true,
  );
  return out;
}
