/**
 * Glue for the real-cluster lab (scripts/lab): collect every lab node over SSH with the lab's key
 * and known_hosts (strict checking), read the lab's API with its kubeconfig, and build a snapshot.
 * Used by the lab test and by scripts/lab/capture-demo.ts.
 */
import type { ApiObjects } from '@/lib/model/k8s';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import type { LabInfo } from '@/testkit/lab/lab-info';
import { loadKubeConfig } from '@/lib/k8s/client';
import { listApiObjects } from '@/lib/k8s/list';
import { buildSnapshot } from '@/lib/snapshot/build';
import { podIpsByNode as byNode } from '../../agents/collect-pods';
import { collectOverSsh, type ProgressFn } from '../../agents/collect-ssh';

type Pods = ApiObjects['pods'];
const podIps = (pods: Pods) => pods.filter((p) => !p.hostNetwork).flatMap((p) => p.podIPs);

export async function collectLab(
  lab: LabInfo,
  opts: { onProgress?: ProgressFn; description?: string } = {},
): Promise<ClusterSnapshot> {
  const { kc, cluster } = loadKubeConfig({ kubeconfig: lab.kubeconfig });
  const api = await listApiObjects(kc);
  const nodes = await collectOverSsh({
    targets: lab.nodes.map((n) => ({ user: n.sshUser, host: n.sshHost, port: n.sshPort })),
    auth: { identityFile: lab.identityFile, knownHostsFile: lab.knownHostsFile, agentSocket: '' },
    node: {
      podIps: podIps(api.pods),
      podIpsByNode: byNode(api.pods),
      limits: { timeoutMs: 20_000, maxBytes: 64 * 1024 * 1024 },
    },
    perTarget: lab.nodes.map((n) => ({ cniDir: n.cniConfDir })),
    onProgress: opts.onProgress,
  });
  return buildSnapshot({
    cluster: { ...cluster, name: `kubepath-lab (${lab.prefix})` },
    nodes,
    api,
    description: opts.description,
    capturedBy: 'kubepath collect (lab)',
  });
}
