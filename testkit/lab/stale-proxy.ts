/**
 * The stale-kube-proxy scenario an SRE meets: kube-proxy on one node is stuck (here: really
 * SIGSTOPped, as a wedged process or a frozen cgroup would be) while the cluster moves on. Pods
 * change through the API, the real controllers rewrite the EndpointSlices, every other node's real
 * kube-proxy reprograms its rules, and the stuck node keeps DNATing to the old endpoint set: it
 * still sends a share of the Service's traffic to a deleted pod and never to the new replica.
 *
 * Used by capture-demo.ts, so the demo's drift is real kernel state, and by the lab tests.
 */
import type { LabInfo, LabPod } from '@/testkit/lab/lab-info';
import { apiRequest, deletePod, execIn, findPod, waitForRules } from '@/testkit/lab/lab-exec';
import { readFileSync } from 'node:fs';

export interface StaleKubeProxyOptions {
  /** The node whose kube-proxy is stopped. */
  node: string;
  /** Pods ("ns/name" or bare name) deleted after the stop, as a scale-down or rollout would. */
  deletePods: string[];
  /** Not-ready pods reported Ready after the stop, as kubelet does once a readiness probe passes. */
  readyPods: string[];
  /** How long to wait for the other nodes' kube-proxies to catch up (default 30 s). */
  timeoutMs?: number;
}

export interface StaleKubeProxy {
  node: string;
  kubeProxyPid: number;
  deletedPods: LabPod[];
  readiedPods: LabPod[];
  /** Nodes whose kube-proxy was seen applying the change (every node but `node`). */
  syncedNodes: string[];
  /** SIGCONTs the stopped kube-proxy (idempotent). Call it before tearing the lab down. */
  resume(): void;
}

/** "State:\tT (stopped)" in /proc/<pid>/status. */
export function processState(pid: number): string {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
  } catch {
    return 'gone';
  }
}

const dnatsTo = (save: string, ip: string) => save.includes(`--to-destination ${ip}:`);

/** Reports a pod Ready the way kubelet does: a merge patch of its status conditions and container status. */
async function reportReady(lab: LabInfo, pod: LabPod): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const current = await apiRequest<{ status: { containerStatuses: Record<string, unknown>[] } }>(
    lab,
    'GET',
    `/api/v1/namespaces/${pod.ns}/pods/${pod.name}`,
  );
  if (current.status !== 200) throw new Error(`get pod ${pod.ns}/${pod.name}: HTTP ${current.status}`);
  const conditions = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
  }));
  const containerStatuses = current.body.status.containerStatuses.map((c) => ({ ...c, ready: true }));
  const res = await apiRequest(
    lab,
    'PATCH',
    `/api/v1/namespaces/${pod.ns}/pods/${pod.name}/status`,
    { status: { conditions, containerStatuses } },
    'application/merge-patch+json',
  );
  if (res.status !== 200)
    throw new Error(
      `report pod ${pod.ns}/${pod.name} Ready: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
    );
}

/**
 * Stops `node`'s kube-proxy, deletes and readies pods through the API, waits until every other
 * node's kube-proxy has applied the change, and checks that the stopped node's rules did not.
 * On any failure the kube-proxy is resumed before the error is thrown.
 * @throws Error naming the step that failed (a precondition, the API, a node that did not sync).
 */
export async function makeStaleKubeProxy(lab: LabInfo, opts: StaleKubeProxyOptions): Promise<StaleKubeProxy> {
  const stale = lab.nodes.find((n) => n.name === opts.node);
  if (!stale) throw new Error(`no lab node ${opts.node}; nodes: ${lab.nodes.map((n) => n.name).join(', ')}`);
  const deleted = opts.deletePods.map((p) => findPod(lab, p));
  const readied = opts.readyPods.map((p) => findPod(lab, p));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const others = lab.nodes.filter((n) => n !== stale);
  const before = (save: string) =>
    deleted.every((p) => dnatsTo(save, p.ip)) && readied.every((p) => !dnatsTo(save, p.ip));
  const after = (save: string) =>
    deleted.every((p) => !dnatsTo(save, p.ip)) && readied.every((p) => dnatsTo(save, p.ip));

  // Precondition: every node has programmed the state before the change (else "stale" proves nothing).
  for (const n of lab.nodes) await waitForRules(lab, n.name, before, { table: 'nat', timeoutMs });

  const pid = stale.kubeProxyPid;
  const resume = () => {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      /* already gone */
    }
  };
  process.kill(pid, 'SIGSTOP');
  try {
    for (let i = 0; processState(pid) !== 'T'; i++) {
      if (i > 100) throw new Error(`kube-proxy ${pid} on ${stale.name} did not stop (state ${processState(pid)})`);
      await new Promise((r) => setTimeout(r, 10));
    }
    for (const p of readied) await reportReady(lab, p);
    for (const p of deleted) await deletePod(lab, `${p.ns}/${p.name}`);
    for (const n of others) await waitForRules(lab, n.name, after, { table: 'nat', timeoutMs });
    // The stopped node still holds the old set: checked on its rules, not assumed.
    const save = (await execIn(stale.netns, ['iptables-save', '-t', 'nat'])).stdout;
    if (!before(save)) throw new Error(`${stale.name}'s rules changed although its kube-proxy (pid ${pid}) is stopped`);
    if (processState(pid) !== 'T')
      throw new Error(`kube-proxy ${pid} on ${stale.name} is no longer stopped (state ${processState(pid)})`);
  } catch (err) {
    resume();
    throw err;
  }
  return {
    node: stale.name,
    kubeProxyPid: pid,
    deletedPods: deleted,
    readiedPods: readied,
    syncedNodes: others.map((n) => n.name),
    resume,
  };
}
