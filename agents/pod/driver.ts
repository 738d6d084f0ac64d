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
  /** The nodes' CNI config directory when it is not /etc/cni/net.d. */
  cniDir?: string;
  /** Per node: read the host's files through read-only hostPath mounts (see AgentPodOptions.hostMounts). */
  hostMounts?: (node: string) => { cniDir: string; resolvConf: string } | undefined;
  /**
   * On SIGINT/SIGTERM while collecting, delete every agent pod created so far, then let the signal
   * take its usual course (default true). A pod left by a SIGKILL still expires by its deadline.
   */
  cleanupOnSignals?: boolean;
}

const fail = (node: string, kind: NodeErrorKind, message: string): NodeCapture => ({
  name: node,
  via: 'pod-agent',
  capturedAt: new Date().toISOString(),
  captures: {},
  error: { kind, message },
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
  const live = new Set<string>();
  const onSignal = (signal: NodeJS.Signals) => {
    void Promise.allSettled([...live].map((name) => deletePod(core, name, []))).then(() => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      process.kill(process.pid, signal); // the default action now: exit as the signal says
    });
  };
  if (opts.cleanupOnSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    return await mapBounded(opts.nodes, opts.concurrency ?? 8, async (node) => {
      const warnings: string[] = [];
      const created: { name?: string; onCreated?: (name: string) => void } = { onCreated: (name) => live.add(name) };
      const result = await runAgent(core, node, opts, timeoutMs, created);
      // ALWAYS delete, whatever happened above.
      if (created.name) {
        await deletePod(core, created.name, warnings);
        live.delete(created.name);
      }
      if (warnings.length) result.warnings = [...(result.warnings ?? []), ...warnings];
      return result;
    });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

async function runAgent(
  core: CoreV1Api,
  node: string,
  opts: PodAgentOptions,
  timeoutMs: number,
  created: { name?: string; onCreated?: (name: string) => void },
): Promise<NodeCapture> {
  const progress = opts.onProgress ?? (() => {});
  let podName: string | undefined;
  progress({ node, phase: 'connecting' });
  try {
    const body = agentPod({
      node,
      image: opts.image ?? DEFAULT_AGENT_IMAGE,
      ttlSeconds: Math.ceil(timeoutMs / 1000) + 30,
      cniDir: opts.cniDir,
      hostMounts: opts.hostMounts?.(node),
    });
    podName = created.name = (await core.createNamespacedPod({ namespace: AGENT_NAMESPACE, body })).metadata!.name!;
    created.onCreated?.(podName);
    progress({ node, phase: 'note', message: `created pod ${AGENT_NAMESPACE}/${podName}` });
    const deadline = Date.now() + timeoutMs;
    let phase = 'Pending';
    let waiting: string | undefined;
    while (Date.now() < deadline) {
      const status = (await core.readNamespacedPod({ name: podName, namespace: AGENT_NAMESPACE })).status;
      phase = status?.phase ?? 'Pending';
      // What the kubelet says the container waits for (ImagePullBackOff, ErrImageNeverPull…), if anything.
      const w = status?.containerStatuses?.[0]?.state?.waiting;
      waiting = w?.reason ? `${w.reason}${w.message ? `: ${w.message.slice(0, 200)}` : ''}` : undefined;
      if (phase === 'Succeeded' || phase === 'Failed') break;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    }
    if (phase !== 'Succeeded' && phase !== 'Failed') {
      const why = waiting
        ? `container waiting: ${waiting}`
        : `image not pullable, or no kubelet running pods on ${node}?`;
      const msg = `pod agent ${podName} did not finish within ${timeoutMs} ms (phase ${phase}: ${why})`;
      progress({ node, phase: 'done', ok: false, error: msg, warnings: 0 });
      return fail(node, 'timeout', msg);
    }
    progress({ node, phase: 'collecting' });
    const log = await core.readNamespacedPodLog({ name: podName, namespace: AGENT_NAMESPACE, container: 'agent' });
    if (phase === 'Failed') return fail(node, 'command', `pod agent ${podName} failed: ${String(log).slice(-500)}`);
    const capture = decodeAgentOutput(String(log));
    capture.via = `pod-agent ${AGENT_NAMESPACE}/${podName}`;
    progress({
      node,
      phase: 'done',
      ok: !capture.error,
      error: capture.error?.message,
      warnings: capture.warnings?.length ?? 0,
    });
    return capture;
  } catch (err) {
    const f = classifyApiError(err);
    const kind: NodeErrorKind =
      f.kind === 'unreachable'
        ? 'unreachable'
        : f.kind === 'forbidden' || f.kind === 'unauthorized'
          ? 'auth'
          : 'internal';
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
    if (f.kind !== 'not-found')
      warnings.push(
        `could not delete agent pod ${AGENT_NAMESPACE}/${name}: ${f.message} (it expires via activeDeadlineSeconds)`,
      );
  }
}
