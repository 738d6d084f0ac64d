/**
 * Per-snapshot and per-viewer precomputation, so a request's viewer work does not grow with the
 * cluster: at 10k Services every request walked every Service, EndpointSlice and pod to list the
 * namespaces (and every trace rebuilt a pod-IP map) before answering, which halved throughput for a
 * same-size answer. Each view is computed once per snapshot object (a new file is a new object, so
 * the WeakMaps drop old snapshots with it) and, for filtered lists, once per distinct access.
 */
import type { ApiObjects } from '@/lib/model/k8s';
import type { ViewerAccess } from './viewer-access';

const namespacesOf = new WeakMap<object, string[]>();
const podNamespaceOf = new WeakMap<ApiObjects, Map<string, string>>();
const filtered = new WeakMap<object, Map<string, unknown>>();

/** A stable key for what an access may see. */
export function accessKey(access: ViewerAccess): string {
  return access.allNamespaces ? '*' : [...access.namespaces].sort().join('\n');
}

/** Every namespace the API objects mention, plus kube-system (which gates the cluster-wide configs), sorted. */
export function apiNamespaces(api: ApiObjects | undefined): string[] {
  if (!api) return ['kube-system'];
  let got = namespacesOf.get(api);
  if (!got) {
    const all = new Set<string>(['kube-system']);
    for (const s of api.services) all.add(s.namespace);
    for (const e of api.endpointSlices) all.add(e.namespace);
    for (const p of api.pods) all.add(p.namespace);
    got = [...all].sort();
    namespacesOf.set(api, got);
  }
  return got;
}

/** Pod IP → namespace (host-network pods excluded: their IP is the node's). */
export function podNamespaces(api: ApiObjects | undefined): Map<string, string> {
  if (!api) return new Map();
  let got = podNamespaceOf.get(api);
  if (!got) {
    got = new Map();
    for (const p of api.pods) for (const ip of p.podIPs) if (!p.hostNetwork) got.set(ip, p.namespace);
    podNamespaceOf.set(api, got);
  }
  return got;
}

/** `compute()` once per source object and access (a bounded number of accesses per source). */
export function perAccess<T>(source: object, access: ViewerAccess, compute: () => T): T {
  let byAccess = filtered.get(source);
  if (!byAccess) filtered.set(source, (byAccess = new Map()));
  const key = accessKey(access);
  if (byAccess.has(key)) return byAccess.get(key) as T;
  const value = compute();
  if (byAccess.size >= 256) byAccess.clear(); // many distinct tenants: recompute rather than grow
  byAccess.set(key, value);
  return value;
}
