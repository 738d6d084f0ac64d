/**
 * Live updates for the console: watches Services, EndpointSlices, Pods and Nodes and hands out
 * reshaped model objects. EndpointSlices are watched at the API version that `listEndpointSlices`
 * found to work. Stop with the returned function.
 */
import {
  Watch,
  type KubeConfig,
  type V1EndpointSlice,
  type V1Node,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node';
import type { EndpointSliceModel, NodeModel, PodModel, ServiceModel } from '@/lib/model/k8s';
import { classifyApiError } from './errors';
import { toEndpointSliceModel, toNodeModel, toPodModel, toServiceModel } from './reshape';

export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; kind: 'Service'; object: ServiceModel }
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; kind: 'EndpointSlice'; object: EndpointSliceModel }
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; kind: 'Pod'; object: PodModel }
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; kind: 'Node'; object: NodeModel };

export interface WatchOptions {
  endpointSliceVersion?: EndpointSliceModel['apiVersion'];
  onEvent: (e: WatchEvent) => void;
  /** A watch ended (server timeout, network, 403). The console re-lists and re-watches. */
  onEnd?: (kind: WatchEvent['kind'], reason: string) => void;
}

type Phase = WatchEvent['type'];
const phases = new Set(['ADDED', 'MODIFIED', 'DELETED']);

export async function watchApiObjects(kc: KubeConfig, opts: WatchOptions): Promise<() => void> {
  const w = new Watch(kc);
  const esVersion = opts.endpointSliceVersion ?? 'discovery.k8s.io/v1';
  const specs: { kind: WatchEvent['kind']; path: string; map: (o: unknown) => WatchEvent['object'] }[] = [
    { kind: 'Service', path: '/api/v1/services', map: (o) => toServiceModel(o as V1Service) },
    {
      kind: 'EndpointSlice',
      path: `/apis/${esVersion}/endpointslices`,
      map: (o) => toEndpointSliceModel(o as V1EndpointSlice, esVersion),
    },
    { kind: 'Pod', path: '/api/v1/pods', map: (o) => toPodModel(o as V1Pod) },
    { kind: 'Node', path: '/api/v1/nodes', map: (o) => toNodeModel(o as V1Node) },
  ];
  const controllers = await Promise.all(
    specs.map((s) =>
      w.watch(
        s.path,
        { allowWatchBookmarks: false },
        (phase, obj) => {
          if (!phases.has(phase)) return;
          opts.onEvent({ type: phase as Phase, kind: s.kind, object: s.map(obj) } as WatchEvent);
        },
        (err) => opts.onEnd?.(s.kind, err ? classifyApiError(err).message : 'closed by server'),
      ),
    ),
  );
  return () => controllers.forEach((c) => c.abort());
}
