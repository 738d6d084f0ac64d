/**
 * Assembles a ClusterSnapshot from collected nodes and API objects: names pod netns captures after
 * the API pod with the same IP, fills a node's proxy mode from the kube-proxy ConfigMap when the
 * node itself could not tell, and notes nodes the API does not know.
 */
import { hostname } from 'node:os';
import type { ApiObjects } from '@/lib/model/k8s';
import type { ClusterSnapshot, NodeCapture } from '@/lib/model/snapshot';
import { SNAPSHOT_SCHEMA } from '@/lib/model/snapshot';
import { addressesOf } from '@/lib/parse/ip-addr-local';
import { modeFromConfig } from '@/lib/parse/proxy-mode';

export interface BuildSnapshotInput {
  cluster: ClusterSnapshot['cluster'];
  nodes: NodeCapture[];
  api?: ApiObjects;
  description?: string;
  capturedBy?: string;
}

export function buildSnapshot(input: BuildSnapshotInput): ClusterSnapshot {
  const api = input.api;
  const podByIp = new Map<string, { namespace: string; name: string }>();
  for (const p of api?.pods ?? [])
    if (!p.hostNetwork) for (const ip of p.podIPs) podByIp.set(ip, { namespace: p.namespace, name: p.name });
  const cmMode = api?.kubeProxyConfig ? modeFromConfig(api.kubeProxyConfig) : undefined;
  const apiNodes = new Set((api?.nodes ?? []).map((n) => n.name));

  const nodes = input.nodes.map((n) => {
    const node: NodeCapture = { ...n, pods: n.pods?.map((p) => ({ ...p })) };
    for (const p of node.pods ?? []) {
      const hit = addressesOf(p.ipAddr.stdout)
        .map((a) => podByIp.get(a))
        .find(Boolean);
      if (hit) p.pod = hit;
    }
    if ((!node.proxyMode || node.proxyMode === 'unknown') && cmMode && !node.error) node.proxyMode = cmMode;
    if (api && apiNodes.size && !node.error && !apiNodes.has(node.name)) {
      node.warnings = [
        ...(node.warnings ?? []),
        `node "${node.name}" (hostname) is not a Node in the API; drift checks match it by name`,
      ];
    }
    return node;
  });
  return {
    schema: SNAPSHOT_SCHEMA,
    cluster: input.cluster,
    capturedAt: new Date().toISOString(),
    capturedBy: input.capturedBy ?? `kubepath collect on ${hostname()}`,
    nodes,
    ...(api ? { api } : {}),
    ...(input.description ? { description: input.description } : {}),
  };
}
