/**
 * Applies a viewer's namespace visibility to what the console serves. A trace or report that touches
 * a namespace the viewer may not see is refused as a whole (partial traces would mislead), with the
 * reason naming only the fact, not the hidden objects.
 */
import 'server-only';
import type { ApiObjects } from '@/lib/model/k8s';
import type { TraceResult } from '@/lib/model/trace';
import { canSeeNamespace, type ViewerAccess } from './viewer-access';
import { podNamespaces } from './namespace-view';

export function filterApiObjects(api: ApiObjects, access: ViewerAccess): ApiObjects {
  if (access.allNamespaces) return api;
  const ok = (ns: string) => canSeeNamespace(access, ns);
  return {
    ...api,
    services: api.services.filter((s) => ok(s.namespace)),
    endpointSlices: api.endpointSlices.filter((e) => ok(e.namespace)),
    pods: api.pods.filter((p) => ok(p.namespace)),
    // The Corefile and kube-proxy config describe the cluster, not a tenant; kube-system visibility decides.
    corefile: ok('kube-system') ? api.corefile : undefined,
    kubeProxyConfig: ok('kube-system') ? api.kubeProxyConfig : undefined,
  };
}

/** Namespaces a trace touches: Services named in rule comments/labels, and pods at either end. */
export function traceNamespaces(trace: TraceResult, api?: ApiObjects): Set<string> {
  const out = new Set<string>();
  const addService = (svc?: string) => {
    const ns = svc?.split('/')[0];
    if (ns) out.add(ns);
  };
  const podNs = podNamespaces(api); // once per snapshot, not per trace
  const src = podNs.get(trace.packet.src);
  if (src) out.add(src);
  for (const o of trace.outcomes) {
    addService(o.endpoint?.service);
    const ep = o.endpoint?.ip && podNs.get(o.endpoint.ip);
    if (ep) out.add(ep);
    for (const s of o.steps) addService(s.label?.service);
  }
  return out;
}

export type TraceVisibility = { visible: true } | { visible: false; reason: string };

export function traceVisibility(trace: TraceResult, access: ViewerAccess, api?: ApiObjects): TraceVisibility {
  if (access.allNamespaces) return { visible: true };
  const hidden = [...traceNamespaces(trace, api)].filter((ns) => !canSeeNamespace(access, ns));
  return hidden.length
    ? { visible: false, reason: `this path touches ${hidden.length} namespace(s) you are not allowed to see` }
    : { visible: true };
}
