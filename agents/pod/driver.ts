/**
 * Runs the pod agent on each node: create the agent Pod, wait for it to finish, read its one capture
 * line from the log, and ALWAYS delete the Pod (success, failure, timeout, or a thrown error).
 * Deletion uses grace period 0 so it completes even when no kubelet answers for the node.
 */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { NodeCapture, NodeErrorKind } from '@/lib/model/snapshot';
import { classifyApiError } from '@/lib/k8s/errors';
import { mapBounded, type ProgressFn } from '../collect-ssh';
import { decodeAgentOutput } from './agent-output';
import { agentNamespace, agentPod, AGENT_NAMESPACE, DEFAULT_AGENT_IMAGE } from './manifests';

export interface PodAgentOptions {
  nodes: string[];
  image?: string;
  /** How long to wait for each pod to finish (default 120 s). */
  timeoutMs?: number;
  pollMs?: number;
  concurrency?: number;
  onProgress?: ProgressFn;
}

const fail = (node: string, kind: NodeErrorKind, message: string): NodeCapture => ({
  name: node, via: 'pod-agent', capturedAt: new Date().toISOString(), captures: {}, error: { kind, message },
});

async function ensureNamespace(core: CoreV1Api): Promise<void> {
  try {
    await core.createNamespace({ body: agentNamespace() });
  } catch (err) {
    if (classifyApiError(err).status !== 409) throw err; // 409: already exists
  }
}

export async function collectViaPodAgent(kc: KubeConfig, opts: PodAgentOptions): Promise<NodeCapture[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  await ensureNamespace(core);
  return mapBounded(opts.nodes, opts.concurrency ?? 8, async (node) => {
    const warnings: string[] = [];
    const created: { name?: string } = {};
    const result = await runAgent(core, node, opts, timeoutMs, created);
    // ALWAYS delete, whatever happened above.
    if (created.name) await deletePod(core, created.name, warnings);
    if (warnings.length) result.warnings = [...(result.warnings ?? []), ...warnings];
    return result;
  });
}

async function runAgent(core: CoreV1Api, node: string, opts: PodAgentOptions, timeoutMs: number, created: { name?: string }): Promise<NodeCapture> {
  const progress = opts.onProgress ?? (() => {});
  let podName: string | undefined;
  progress({ node, phase: 'connecting' });
  try {
    const body = agentPod({ node, image: opts.image ?? DEFAULT_AGENT_IMAGE, ttlSeconds: Math.ceil(timeoutMs / 1000) + 30 });
    podName = created.name = (await core.createNamespacedPod({ namespace: AGENT_NAMESPACE, body })).metadata!.name!;
    progress({ node, phase: 'note', message: `created pod ${AGENT_NAMESPACE}/${podName}` });
    const deadline = Date.now() + timeoutMs;
    let phase = 'Pending';
    while (Date.now() < deadline) {
      phase = (await core.readNamespacedPod({ name: podName, namespace: AGENT_NAMESPACE })).status?.phase ?? 'Pending';
      if (phase === 'Succeeded' || phase === 'Failed') break;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    }
    if (phase !== 'Succeeded' && phase !== 'Failed') {
      const msg = `pod agent ${podName} did not finish within ${timeoutMs} ms (phase ${phase}: image not pullable, or no kubelet running pods on ${node}?)`;
      progress({ node, phase: 'done', ok: false, error: msg, warnings: 0 });
      return fail(node, 'timeout', msg);
    }
    progress({ node, phase: 'collecting' });
    const log = await core.readNamespacedPodLog({ name: podName, namespace: AGENT_NAMESPACE, container: 'agent' });
    if (phase === 'Failed') return fail(node, 'command', `pod agent ${podName} failed: ${String(log).slice(-500)}`);
    const capture = decodeAgentOutput(String(log));
    capture.via = `pod-agent ${AGENT_NAMESPACE}/${podName}`;
    progress({ node, phase: 'done', ok: !capture.error, error: capture.error?.message, warnings: capture.warnings?.length ?? 0 });
    return capture;
  } catch (err) {
    const f = classifyApiError(err);
    const kind: NodeErrorKind = f.kind === 'unreachable' ? 'unreachable' : f.kind === 'forbidden' || f.kind === 'unauthorized' ? 'auth' : 'internal';
    progress({ node, phase: 'done', ok: false, error: f.message, warnings: 0 });
    return fail(node, kind, `pod agent: ${f.message}`);
  }
}

async function deletePod(core: CoreV1Api, name: string, warnings: string[]): Promise<void> {
  try {
    // gracePeriodSeconds 0 removes the object at once; a graceful delete would wait for a kubelet.
    await core.deleteNamespacedPod({ name, namespace: AGENT_NAMESPACE, gracePeriodSeconds: 0 });
  } catch (err) {
    const f = classifyApiError(err);
    if (f.kind !== 'not-found') warnings.push(`could not delete agent pod ${AGENT_NAMESPACE}/${name}: ${f.message} (it expires via activeDeadlineSeconds)`);
  }
}
