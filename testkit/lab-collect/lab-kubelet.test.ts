/**
 * The lab in kubelet mode (`lab.sh up --kubelet`): real kubelet v1.20.2 + containerd + runc on every
 * node run the scenario's pods and the pod agent. Checks that the pods really run under the kubelet,
 * that kubelet's own iptables chains enforce the ETP=Local drop (traced as a drop AND confirmed by a
 * real packet), and that the pod agent collects every node end to end, agrees with SSH capture by
 * capture, and never leaves an agent pod behind (success, timeout, Ctrl-C of the collector).
 * Slow (a minute or more to start); the kubelet-less lab (lab.test.ts, lab-collect.test.ts) stays the default.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '@/lib/k8s/client';
import { nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
import { tracePacket } from '@/lib/trace/trace-packet';
import {
  apiRequest,
  execIn,
  kubeletLabUnavailableReason,
  startLab,
  stopLab,
  type LabInfo,
} from '@/testkit/lab/cluster';
import { collectLab } from './collect-lab';
import { collectViaPodAgent } from '../../agents/pod/driver';
import { AGENT_LABEL, AGENT_LABEL_VALUE, AGENT_NAMESPACE } from '../../agents/pod/manifests';

const why = kubeletLabUnavailableReason();
if (why) console.warn(`lab-kubelet: skipping the kubelet-mode lab tests: ${why}`);

/** Rules without packet counters or the generated-at comments: what must agree between two captures. */
const rules = (save: string) =>
  save
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/^\[\d+:\d+\] /, '').replace(/ \[\d+:\d+\]$/, ''))
    .join('\n');

async function agentPodsLeft(lab: LabInfo): Promise<string[]> {
  const { body } = await apiRequest<{ items: { metadata: { name: string } }[] }>(
    lab,
    'GET',
    `/api/v1/namespaces/${AGENT_NAMESPACE}/pods?labelSelector=${AGENT_LABEL}%3D${AGENT_LABEL_VALUE}`,
  );
  return body.items.map((p) => p.metadata.name);
}

describe.skipIf(!!why)('the kubelet lab: real kubelet + containerd + runc', () => {
  let lab: LabInfo;
  beforeAll(async () => {
    lab = await startLab({ kubelet: true, stopWhenProcessExits: true, timeoutMs: 420_000 });
  }, 480_000);
  afterAll(async () => {
    if (lab) await stopLab(lab);
  }, 60_000);

  it("every scenario pod is run by its node's kubelet on containerd, with the scenario address", async () => {
    expect(lab.mode).toBe('kubelet');
    const { body: nodes } = await apiRequest<{
      items: {
        metadata: { name: string };
        status: {
          nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string };
          conditions: { type: string; status: string; reason: string }[];
        };
      }[];
    }>(lab, 'GET', '/api/v1/nodes');
    for (const n of nodes.items) {
      expect(n.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.6\./);
      expect(n.status.nodeInfo.kubeletVersion).toBe('v1.20.2');
      expect(n.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({
        status: 'True',
        reason: 'KubeletReady',
      });
    }
    const { body: pods } = await apiRequest<{
      items: {
        metadata: { namespace: string; name: string };
        spec: { nodeName: string };
        status: { phase: string; podIP: string; containerStatuses: { containerID: string }[] };
      }[];
    }>(lab, 'GET', '/api/v1/pods?labelSelector=kubepath.dev/lab-pod');
    const byName = new Map(pods.items.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
    for (const p of lab.pods) {
      const api = byName.get(`${p.ns}/${p.name}`)!;
      expect(api.status, `${p.ns}/${p.name}`).toMatchObject({ phase: 'Running', podIP: p.ip });
      expect(api.status.containerStatuses[0].containerID).toMatch(/^containerd:\/\//);
      expect(p.netns).toMatch(/^cni-/); // the CRI plugin's netns, not one the lab made
    }
    // A pod answers through its ClusterIP from another pod: CNI bridge + kube-proxy + a runc container.
    const client = lab.pods.find((p) => p.name === 'client')!;
    const r = await execIn(client.netns, ['curl', '-sS', '-m', '5', 'http://10.96.0.101/'], { timeoutMs: 10_000 });
    expect(r.stdout).toMatch(/api-1 port=8080 from=/);
  });

  it("kubelet's own chains are on every node, and enforce ETP=Local: traced as a drop, and a real packet is dropped", async () => {
    for (const n of lab.nodes) {
      const save = (await execIn(n.netns, ['iptables-save', '-t', 'filter'])).stdout;
      expect(save).toContain(
        '-A KUBE-FIREWALL -m comment --comment "kubernetes firewall for dropping marked packets" -m mark --mark 0x8000/0x8000 -j DROP',
      );
      const nat = (await execIn(n.netns, ['iptables-save', '-t', 'nat'])).stdout;
      expect(nat).toContain('-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000');
    }
    const nodePort = lab.services.find((s) => s.name === 'local-only')!.ports[0].nodePort!;
    const [node1, node2] = lab.nodes;
    const snap = await collectLab(lab);
    const captured = snap.nodes.find((n) => n.name === node2.name)!;
    const traced = tracePacket(nodeTraceInputs(captured).inputs, {
      src: lab.underlay.gatewayIP,
      dst: node2.underlayIP,
      port: nodePort,
      proto: 'tcp',
    });
    expect(traced.outcomes.map((o) => o.verdict)).toEqual(['drop']);
    // The real packet from outside the cluster: node-1 (local endpoint) answers, node-2 drops (a
    // timeout, not a refusal: KUBE-FIREWALL drops the marked SYN before anything can answer it).
    const ok = await execIn(lab.underlay.gatewayNetns, [
      'curl',
      '-sS',
      '-m',
      '5',
      `http://${node1.underlayIP}:${nodePort}/`,
    ]);
    expect(ok.stdout).toMatch(/^local-1 port=8080/);
    const dropped = await execIn(lab.underlay.gatewayNetns, [
      'curl',
      '-sS',
      '-m',
      '3',
      `http://${node2.underlayIP}:${nodePort}/`,
    ]);
    expect(dropped.code).toBe(28); // curl: operation timed out
  }, 90_000);

  it('the pod agent collects every node as a short-lived privileged pod, agrees with SSH, and leaves no pod', async () => {
    const { kc } = loadKubeConfig({ kubeconfig: lab.kubeconfig });
    // The lab's VM init (PID 1) refuses /proc/1/root to everyone, so the agent reads the node's CNI
    // dir and resolv.conf through read-only hostPath mounts (a real node's PID 1 does not refuse).
    const mounts = (name: string) => {
      const n = lab.nodes.find((x) => x.name === name)!;
      return { cniDir: n.cniConfDir, resolvConf: n.resolvConf };
    };
    const perNode = await collectViaPodAgent(kc, {
      nodes: lab.nodes.map((n) => n.name),
      hostMounts: mounts,
      timeoutMs: 120_000,
      pollMs: 500,
    });
    expect(await agentPodsLeft(lab)).toEqual([]);
    const ssh = await collectLab(lab);
    for (const agent of perNode) {
      expect(agent.error, agent.name).toBeUndefined();
      expect(agent.via).toMatch(new RegExp(`^pod-agent ${AGENT_NAMESPACE}/kubepath-agent-${agent.name}-`));
      const viaSsh = ssh.nodes.find((n) => n.name === agent.name)!;
      // Same node: same hostname (the pod shares the kubelet's UTS namespace), same netfilter state,
      // routes, kube-proxy command line and CNI files.
      for (const kind of ['hostname', 'ip-route', 'kube-proxy-mode', 'ipset', 'resolv.conf'] as const) {
        expect(agent.captures[kind]!.stdout, `${agent.name} ${kind}`).toBe(viaSsh.captures[kind]!.stdout);
      }
      expect(rules(agent.captures['iptables-save']!.stdout)).toBe(rules(viaSsh.captures['iptables-save']!.stdout));
      expect(agent.captures.ipvsadm!.error).toBe('IPVS not available');
      expect(agent.proxyMode).toBe('iptables');
      const files = (n: typeof agent) =>
        Object.entries(n.cniFiles ?? {})
          .map(([f, c]) => [f, c.stdout])
          .sort();
      expect(files(agent)).toEqual(files(viaSsh));
      expect(files(agent).length).toBeGreaterThan(0);
    }
  }, 300_000);

  it("a pod agent that cannot start (image missing) times out with the kubelet's reason and is still deleted", async () => {
    const { kc } = loadKubeConfig({ kubeconfig: lab.kubeconfig });
    const [node] = await collectViaPodAgent(kc, {
      nodes: [lab.nodes[0].name],
      image: 'kubepath.local/no-such-agent:0',
      timeoutMs: 8000,
      pollMs: 500,
    });
    expect(node.error?.kind).toBe('timeout');
    expect(node.error?.message).toMatch(
      /phase Pending: container waiting: (ContainerCreating|ErrImagePull|ImagePullBackOff)/,
    );
    expect(node.warnings).toBeUndefined();
    expect(await agentPodsLeft(lab)).toEqual([]);
  }, 60_000);

  it('a collector interrupted by Ctrl-C (SIGINT) mid-collection deletes its agent pod before it exits', async () => {
    // A CLI-like process waiting on an agent pod that cannot start (missing image keeps it Pending).
    const script = `import { loadKubeConfig } from '@/lib/k8s/client';
      import { collectViaPodAgent } from '@/agents/pod/driver';
      const { kc } = loadKubeConfig({ kubeconfig: process.argv[2] });
      await collectViaPodAgent(kc, { nodes: ['${lab.nodes[1].name}'], image: 'kubepath.local/no-such-agent:0', timeoutMs: 60000, pollMs: 300,
        onProgress: (e) => { if (e.phase === 'note') console.log('created'); } });`;
    const file = path.join(process.cwd(), `.lab-kubelet-sigint-${process.pid}.ts`);
    writeFileSync(file, script);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', file, lab.kubeconfig], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('created') && resolve());
        child.on('exit', (code) => reject(new Error(`collector exited early (${code})`)));
      });
      expect(await agentPodsLeft(lab)).toHaveLength(1);
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
      child.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
      expect(await agentPodsLeft(lab)).toEqual([]);
    } finally {
      rmSync(file, { force: true });
    }
  }, 120_000);
});
