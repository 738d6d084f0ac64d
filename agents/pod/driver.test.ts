import { execFileSync } from 'node:child_process';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '@/lib/k8s/client';
import { apiserverUnavailable, startTestApiserver, type TestApiserver } from '@/testkit/apiserver';
import type { ProgressEvent } from '../collect-ssh';
import { decodeAgentOutput } from './agent-output';
import { collectViaPodAgent } from './driver';
import { agentPod, AGENT_NAMESPACE } from './manifests';

describe('pod agent manifest', () => {
  const pod = agentPod({ node: 'node-a', image: 'img:1', ttlSeconds: 60 });
  it('is privileged on the host network/PID, read-only, with no API token, and bounded in time', () => {
    const spec = pod.spec!;
    expect(spec).toMatchObject({
      nodeName: 'node-a',
      hostNetwork: true,
      hostPID: true,
      automountServiceAccountToken: false,
      activeDeadlineSeconds: 60,
      restartPolicy: 'Never',
    });
    expect(spec.serviceAccountName).toBeUndefined();
    expect(spec.containers[0].securityContext).toMatchObject({ privileged: true, readOnlyRootFilesystem: true });
    expect(spec.volumes!.every((v) => v.emptyDir && !v.hostPath)).toBe(true);
    expect(pod.metadata!.namespace).toBe(AGENT_NAMESPACE);
  });
  it('refuses a node name that is not a DNS subdomain', () => {
    expect(() => agentPod({ node: 'a;b', image: 'x', ttlSeconds: 1 })).toThrow(/invalid node name/);
  });
});

const root = process.getuid?.() === 0;
describe.skipIf(!root)('pod agent collector, run locally exactly as in the pod', () => {
  it('agent-main prints one capture line that decodes to a valid NodeCapture', () => {
    const out = execFileSync('node', ['--import', 'tsx', 'agents/pod/agent-main.ts'], {
      env: { ...process.env, NODE_NAME: 'node-x' },
      maxBuffer: 256 * 1024 * 1024,
    }).toString();
    expect(out.trim().split('\n')).toHaveLength(1);
    const node = decodeAgentOutput(`some log noise\n${out}`);
    expect(node.name).toBe('node-x');
    expect(node.via).toBe('pod-agent');
    // Through /proc/1/root, as the pod reaches the host's files with hostPID.
    expect(node.captures['resolv.conf']!.command).toBe('cat /proc/1/root/etc/resolv.conf');
    expect(node.captures['iptables-save']!.error).toBeUndefined();
    expect(node.captures.ipvsadm!.error).toBe('IPVS not available');
  });
  it('a log without a capture line, or a cut one, is a clear error', () => {
    expect(() => decodeAgentOutput('Error: image pull failed\n')).toThrow(/no "kubepath-capture-gz" line/);
    expect(() => decodeAgentOutput('kubepath-capture-gz H4sIAAAAAAAAA')).toThrow(/does not decode/);
  });
});

const why = root ? apiserverUnavailable() : 'not root';
describe.skipIf(!!why)('pod agent driver against a real kube-apiserver (no kubelet: the pod never runs)', () => {
  let api: TestApiserver;
  beforeAll(async () => {
    api = await startTestApiserver();
    const core = loadKubeConfig({ kubeconfig: api.kubeconfigs.admin }).kc.makeApiClient(CoreV1Api);
    await core.createNode({ body: { metadata: { name: 'node-a' } } });
    await core.createNode({ body: { metadata: { name: 'node-b' } } });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('times out, reports it per node, and still deletes every agent pod', async () => {
    const { kc } = loadKubeConfig({ kubeconfig: api.kubeconfigs.admin });
    const created: string[] = [];
    const events: ProgressEvent[] = [];
    const nodes = await collectViaPodAgent(kc, {
      nodes: ['node-a', 'node-b'],
      image: 'kubepath-agent:test',
      timeoutMs: 2500,
      pollMs: 250,
      onProgress: (e) => {
        events.push(e);
        if (e.phase === 'note') created.push(e.message.replace(/^created pod kubepath-agent\//, ''));
      },
    });
    expect(nodes.map((n) => n.error?.message)).toEqual([
      expect.stringContaining('did not finish'),
      expect.stringContaining('did not finish'),
    ]);
    expect(created).toHaveLength(2);
    for (const n of nodes) {
      expect(n.error?.kind).toBe('timeout');
      expect(n.error?.message).toMatch(/did not finish within 2500 ms \(phase Pending/);
      expect(n.warnings).toBeUndefined(); // deletion succeeded
    }
    const core = kc.makeApiClient(CoreV1Api);
    const left = await core.listNamespacedPod({ namespace: AGENT_NAMESPACE });
    expect(left.items.map((p) => p.metadata?.name)).toEqual([]);
    for (const name of created) {
      const gone = await core.readNamespacedPod({ name, namespace: AGENT_NAMESPACE }).then(
        () => 'exists',
        (e: { code?: number }) => e.code,
      );
      expect(gone).toBe(404);
    }
  });

  it('a user without rights gets an auth error per node (namespace creation is refused)', async () => {
    const { kc } = loadKubeConfig({ kubeconfig: api.kubeconfigs.nobody });
    await expect(collectViaPodAgent(kc, { nodes: ['node-a'], timeoutMs: 1000 })).rejects.toMatchObject({ code: 403 });
  });
});
