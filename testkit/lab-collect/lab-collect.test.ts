/**
 * The collector against the REAL lab (scripts/lab): real apiserver + controllers, real kube-proxy
 * per node netns, real sshd per node. Collect over SSH + API, check what came back, trace a
 * ClusterIP with the tracer on the collected rules, then make one node's kube-proxy lag and see drift.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '@/lib/k8s/client';
import { labUnavailableReason, startLab, stopLab, waitForRules, type LabInfo } from '@/testkit/lab/cluster';
import { makeStaleKubeProxy, processState } from '@/testkit/lab/stale-proxy';
import { servicePortHash } from '@/lib/snapshot/chain-names';
import { computeDrift } from '@/lib/snapshot/drift';
import { parseSnapshot } from '@/lib/snapshot/io';
import { nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
import { tracePacket } from '@/lib/trace/trace-packet';
import { collectLab } from './collect-lab';
import { collectViaPodAgent } from '../../agents/pod/driver';
import { AGENT_NAMESPACE } from '../../agents/pod/manifests';

const why = labUnavailableReason();
if (why) console.warn(`agents/lab: skipping lab collection test: ${why}`);

describe.skipIf(!!why)('collect the real lab over SSH + API', () => {
  let lab: LabInfo;
  beforeAll(async () => {
    lab = await startLab();
  }, 300_000);
  afterAll(async () => {
    if (lab) await stopLab(lab);
  });

  it('collects every node, names pod netns from the API, and traces a ClusterIP to its endpoints', async () => {
    const snap = parseSnapshot(JSON.stringify(await collectLab(lab)), 'lab'); // round-trip through the schema
    expect(snap.nodes.map((n) => [n.name, n.error])).toEqual(lab.nodes.map((n) => [n.name, undefined]));
    const webHash = servicePortHash('default/web:http', 'tcp');
    for (const node of snap.nodes) {
      expect(node.proxyMode).toBe('iptables');
      expect(node.captures['kube-proxy-mode']!.stdout).toContain('--proxy-mode=iptables');
      expect(node.captures['iptables-save']!.stdout).toContain(`KUBE-SVC-${webHash}`);
      expect(node.captures.ipvsadm!.error).toBe('IPVS not available');
      expect(Object.keys(node.cniFiles ?? {}).some((f) => f.endsWith('.conflist'))).toBe(true);
      const labPods = lab.pods.filter((p) => p.node === node.name);
      expect(node.pods!.map((p) => p.pod?.name).sort()).toEqual(labPods.map((p) => p.name).sort());
    }
    const client = lab.pods.find((p) => p.name === 'client')!;
    const clientCapture = snap.nodes.flatMap((n) => n.pods ?? []).find((p) => p.pod?.name === 'client')!;
    expect(clientCapture.resolvConf!.stdout).toMatch(/options ndots:5/);
    expect(JSON.stringify(snap)).not.toContain(lab.adminToken);

    const node1 = snap.nodes.find((n) => n.name === client.node)!;
    const { inputs } = nodeTraceInputs(node1);
    const result = tracePacket(inputs, { src: client.ip, dst: '10.96.0.100', port: 80, proto: 'tcp' });
    const webIps = lab.pods
      .filter((p) => p.labels.app === 'web')
      .map((p) => `${p.ip}:8080`)
      .sort();
    expect(
      result.outcomes
        .filter((o) => o.verdict === 'dnat')
        .map((o) => o.to)
        .sort(),
    ).toEqual(webIps);
    expect(result.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 6);

    const drift = computeDrift(snap).findings.filter(
      (f) => !['not-checked', 'missing-no-endpoints-reject'].includes(f.kind),
    );
    expect(drift).toEqual([]);
  });

  it('pod agent on the lab: no agent pod is left behind, whatever the cluster did with it', async () => {
    const { kc } = loadKubeConfig({ kubeconfig: lab.kubeconfig });
    const nodes = await collectViaPodAgent(kc, { nodes: lab.nodes.map((n) => n.name), timeoutMs: 3000, pollMs: 250 });
    for (const n of nodes) {
      expect(n.captures).toEqual({});
      // The lab has no kubelet: the pod either never runs (timeout) or, on an apiserver without
      // --allow-privileged, is refused at creation. Either way the node error says which.
      expect(n.error?.message).toMatch(
        /did not finish within 3000 ms \(phase Pending|privileged: Forbidden: disallowed by cluster policy/,
      );
      expect(n.warnings).toBeUndefined();
    }
    const left = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: AGENT_NAMESPACE });
    expect(left.items).toEqual([]);
  });

  it('a node whose kube-proxy is stopped lags: drift shows the deleted pod still in its rules and the new ready pod missing', async () => {
    if (lab.reused) return; // destructive: only on a lab this test owns
    const frozen = lab.nodes[1];
    const web = lab.pods.find((p) => p.labels.app === 'web' && p.node === lab.nodes[0].name)!;
    const starting = lab.pods.find((p) => !p.ready)!;
    expect(starting, 'the scenario has a not-ready pod').toBeDefined();
    const stale = await makeStaleKubeProxy(lab, {
      node: frozen.name,
      deletePods: [`${web.ns}/${web.name}`],
      readyPods: [`${starting.ns}/${starting.name}`],
    });
    try {
      expect(processState(frozen.kubeProxyPid)).toBe('T');
      expect(stale.syncedNodes).toEqual([lab.nodes[0].name]);
      const snap = await collectLab(lab);
      const findings = computeDrift(snap).findings;
      const onFrozen = findings.filter((f) => f.node === frozen.name);
      expect(snap.api!.pods.some((p) => p.podIPs.includes(web.ip))).toBe(false);
      const svc = `default/${starting.labels.app}:http`;
      expect(onFrozen).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'stale-pod', service: 'default/web:http', endpoint: `${web.ip}:8080` }),
          expect.objectContaining({ kind: 'missing-endpoint', service: svc, endpoint: `${starting.ip}:8080` }),
          expect.objectContaining({ kind: 'lagging' }),
        ]),
      );
      expect(
        findings.filter(
          (f) => f.node === lab.nodes[0].name && f.kind !== 'not-checked' && f.kind !== 'missing-no-endpoints-reject',
        ),
      ).toEqual([]);
    } finally {
      stale.resume();
    }
    // Resumed, the node catches up by itself (kube-proxy resyncs from its watch).
    await waitForRules(
      lab,
      frozen.name,
      (save) => !save.includes(`${web.ip}:8080`) && save.includes(`${starting.ip}:8080`),
      { table: 'nat', timeoutMs: 30_000 },
    );
  });
});
