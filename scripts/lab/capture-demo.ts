/**
 * Captures the console's embedded demo snapshot (`demo/demo-snapshot.json`) from the REAL lab:
 * starts the lab, makes node-2's kube-proxy stale for real (stale-proxy.ts: SIGSTOP, then a pod of
 * the fan-out Service is deleted and a starting one turns Ready through the API, and node-1's
 * kube-proxy applies it), collects both nodes over SSH (strict host keys) and the API with kubepath's
 * own collector, appends an IPVS-mode node built from captured-format fixture text (this kernel has
 * no ip_vs; its `via` says so), writes a description of the scenarios, checks that no secret leaked
 * and that the drift report sees the stale node, resumes kube-proxy and stops the lab.
 *
 *   node --import tsx scripts/lab/capture-demo.ts [--out demo/demo-snapshot.json] [--keep-lab]
 */
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { collectLab } from '@/testkit/lab-collect/collect-lab';
import { buildIpvsFixtureNode } from '@/testkit/lab-collect/ipvs-fixture-node';
import { DEFAULT_COLLAPSE_ABOVE } from '@/lib/graph/build-graph';
import { computeDrift } from '@/lib/snapshot/drift';
import { parseSnapshot, saveSnapshot } from '@/lib/snapshot/io';
import { startLab, stopLab, type LabDemoCase, type LabInfo } from '../../testkit/lab/cluster';
import { makeStaleKubeProxy, type StaleKubeProxy } from '../../testkit/lab/stale-proxy';

/** The stale-kube-proxy case: node-2 freezes, then fanout-1 (on node-1) is deleted and fanout-17 (on node-2) turns Ready. */
const STALE = {
  node: 'node-2',
  service: 'default/fanout',
  deletePods: ['default/fanout-1'],
  readyPods: ['default/fanout-17'],
};
/** The console collapses more than DEFAULT_COLLAPSE_ABOVE endpoints into a group; the demo must show one. */
const FAN_OUT_MIN = DEFAULT_COLLAPSE_ABOVE + 1;

function describeLab(
  lab: LabInfo,
  ipvsNode: string,
  fanOut: { service: string; ready: number; notReady: number },
): string {
  const cases = lab.demoCases.map((c) => {
    switch (c.kind) {
      case 'no-endpoints':
        return `- ${c.service}: a Service whose selector matches no pod; kube-proxy REJECTs (connection refused at once).`;
      case 'etp-local-no-local-endpoint':
        return `- ${c.service} on ${c.node}: externalTrafficPolicy=Local and no local endpoint, so external traffic to this node is dropped.`;
      case 'host-firewall-drop':
        return `- ${c.node}: a host firewall rule (filter FORWARD, before kube-proxy's) drops ${c.service} traffic to pod ${c.pod}:${c.port}.`;
      case 'dns-wrong-nameserver':
        return `- pod ${c.pod}: resolv.conf points at ${c.nameserver}, not the cluster DNS (${c.why}).`;
      case 'stale-kube-proxy':
        return `- ${c.node}: kube-proxy is stuck (really stopped with SIGSTOP before the change). Since then pod ${c.deletedPods.join(', ')} was deleted and ${c.readiedPods.join(', ')} became Ready; the other node's kube-proxy applied both, ${c.node}'s rules still DNAT ${c.service} to the deleted pod and never to the new one. The Service page and the drift report show it.`;
    }
  });
  return [
    `kubepath demo snapshot, captured from the real-cluster lab (scripts/lab): Kubernetes ${lab.kubernetesVersion} apiserver and controllers, the real kube-proxy (iptables mode) and a real sshd in each node's network namespace, collected by \`kubepath collect\`'s own code over SSH and the API.`,
    `Nodes: ${lab.nodes.map((n) => `${n.name} (${n.podCIDR})`).join(', ')} are real; ${ipvsNode} is an IPVS-mode fixture node (this kernel has no ip_vs): its ipsets, iptables rules and kube-ipvs0 addresses were built in a netns and captured with the real tools, its ipvsadm -Ln text is synthesized in the exact format; web's last real server has weight 0 (draining, graceful termination). It also shows up in drift as a node in another proxy mode.`,
    'Scenarios to try:',
    ...cases,
    '- default/web 10.96.0.100:80 from pod client: DNAT to one of three endpoints, 1/3 each.',
    `- ${fanOut.service}: ${fanOut.ready} ready endpoints over both nodes (and ${fanOut.notReady} not ready): the trace collapses them into a group that expands.`,
    '- default/sticky: ClientIP session affinity (recent module).',
    '- Every ClusterFirst pod has ndots:5 and a three-domain search list: watch example.com walk the search list first.',
  ].join('\n');
}

/** Ready / not-ready endpoint counts of a Service in the collected API objects. */
function fanOutOf(snap: ClusterSnapshot, service: string): { service: string; ready: number; notReady: number } {
  const eps = snap
    .api!.endpointSlices.filter((es) => `${es.namespace}/${es.service}` === service)
    .flatMap((es) => es.endpoints);
  return { service, ready: eps.filter((e) => e.ready).length, notReady: eps.filter((e) => !e.ready).length };
}

/**
 * The demo's drift must be the stale node and only it: kubepath's own drift report has to flag the
 * deleted pod as still DNATed and the readied one as missing on the stale node, and nothing on the others.
 */
function assertStaleDrift(snap: ClusterSnapshot, c: Extract<LabDemoCase, { kind: 'stale-kube-proxy' }>): void {
  const findings = computeDrift(snap).findings.filter(
    (f) => f.kind !== 'not-checked' && f.kind !== 'missing-no-endpoints-reject' && f.kind !== 'mode-mismatch',
  );
  const onStale = findings.filter((f) => f.node === c.node && f.service?.startsWith(`${c.service}:`));
  const kinds = new Set(onStale.map((f) => f.kind));
  if (findings.some((f) => f.node === c.node && f.kind === 'lagging')) kinds.add('lagging');
  const missing = ['stale-pod', 'missing-endpoint', 'lagging'].filter((k) => !kinds.has(k as never));
  if (missing.length)
    throw new Error(
      `drift report does not show ${c.node} as stale (no ${missing.join(', ')}): ${JSON.stringify(findings)}`,
    );
  const elsewhere = findings.filter(
    (f) => f.node !== c.node && snap.nodes.find((n) => n.name === f.node)?.proxyMode === 'iptables',
  );
  if (elsewhere.length) throw new Error(`unexpected drift on synced node(s): ${JSON.stringify(elsewhere)}`);
}

/** Refuse to write anything that contains the lab's admin token or a private key. */
function assertNoSecrets(json: string, lab: LabInfo): void {
  const leaks = [lab.adminToken, 'PRIVATE KEY', readFileSync(lab.identityFile, 'utf8').split('\n')[1] ?? '\0'].filter(
    (s) => s && json.includes(s),
  );
  if (leaks.length)
    throw new Error(
      `refusing to write the demo snapshot: it contains ${leaks.length} secret(s) (admin token or key material)`,
    );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = path.resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : 'demo/demo-snapshot.json');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const lab = await startLab({ onLog: log });
  let stale: StaleKubeProxy | undefined;
  try {
    log(`lab up in ${lab.startupSeconds}s; stopping ${STALE.node}'s kube-proxy and changing ${STALE.service}`);
    stale = await makeStaleKubeProxy(lab, STALE);
    const staleCase: LabDemoCase = {
      kind: 'stale-kube-proxy',
      node: stale.node,
      service: STALE.service,
      deletedPods: stale.deletedPods.map((p) => `${p.ns}/${p.name}`),
      readiedPods: stale.readiedPods.map((p) => `${p.ns}/${p.name}`),
    };
    log(
      `${stale.node}'s kube-proxy (pid ${stale.kubeProxyPid}) is stopped; ${stale.syncedNodes.join(', ')} synced; collecting`,
    );
    const snap: ClusterSnapshot = await collectLab(lab, {
      onProgress: (e) => e.phase === 'done' && log(`${e.node}: ${e.ok ? 'done' : `FAILED: ${e.error}`}`),
    });
    const failed = snap.nodes.filter((n) => n.error);
    if (failed.length)
      throw new Error(`lab node(s) not collected: ${failed.map((n) => `${n.name}: ${n.error!.message}`).join('; ')}`);
    const gone = new Set(stale.deletedPods.map((p) => `${p.ns}/${p.name}`));
    for (const n of snap.nodes) {
      // Another lab on this machine can expose look-alike pod netns; never ship a demo with them.
      const got = (n.pods ?? []).map((p) => p.pod?.name ?? `pid ${p.pid}`).sort();
      const want = lab.pods
        .filter((p) => p.node === n.name && !gone.has(`${p.ns}/${p.name}`))
        .map((p) => p.name)
        .sort();
      if (JSON.stringify(got) !== JSON.stringify(want))
        throw new Error(
          `${n.name}: pod netns ${got.join(',')} != lab pods ${want.join(',')} (another lab running? retry)`,
        );
    }
    const base = lab.underlay.cidr.replace(/\.0\/24$/, '');
    const ipvsName = 'node-3-ipvs';
    snap.nodes.push(
      await buildIpvsFixtureNode(snap.api!, {
        name: ipvsName,
        nodeIP: `${base}.13`,
        clusterCIDR: lab.clusterCIDR,
        drainService: 'default/web',
        cniDir: lab.nodes[0].cniConfDir,
      }),
    );
    const fanOut = fanOutOf(snap, STALE.service);
    if (fanOut.ready < FAN_OUT_MIN)
      throw new Error(
        `${STALE.service} has ${fanOut.ready} ready endpoints; the demo needs at least ${FAN_OUT_MIN} to show the collapsed group`,
      );
    snap.description = describeLab({ ...lab, demoCases: [...lab.demoCases, staleCase] }, ipvsName, fanOut);
    assertStaleDrift(snap, staleCase);
    const json = JSON.stringify(snap);
    assertNoSecrets(json, lab);
    parseSnapshot(json, 'demo snapshot'); // the file must load with kubepath's own loader
    saveSnapshot(out, snap);
    chmodSync(out, 0o644); // committed and served by the console: not a secret
    const drift = computeDrift(snap).findings.filter((f) => f.kind !== 'not-checked');
    log(
      `wrote ${out}: ${snap.nodes.length} nodes, ${snap.api!.services.length} services, ${snap.api!.pods.length} pods, ${drift.length} drift finding(s)`,
    );
  } finally {
    stale?.resume(); // a stopped kube-proxy would ignore the teardown's TERM until KILLed
    if (!args.includes('--keep-lab')) await stopLab(lab);
    else log(`lab left running: ${lab.runDir}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`capture-demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
