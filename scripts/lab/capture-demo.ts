/**
 * Captures the console's embedded demo snapshot (`demo/demo-snapshot.json`) from the REAL lab:
 * starts the lab, collects both nodes over SSH (strict host keys) and the API with kubepath's own
 * collector, appends an IPVS-mode node built from captured-format fixture text (this kernel has no
 * ip_vs; its `via` says so), writes a description of the scenarios, checks that no secret leaked,
 * and stops the lab.
 *
 *   node --import tsx scripts/lab/capture-demo.ts [--out demo/demo-snapshot.json] [--keep-lab]
 */
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { collectLab } from '@/agents/lab/collect-lab';
import { buildIpvsFixtureNode } from '@/agents/lab/ipvs-fixture-node';
import { computeDrift } from '@/lib/snapshot/drift';
import { parseSnapshot, saveSnapshot } from '@/lib/snapshot/io';
import { startLab, stopLab, type LabInfo } from './cluster';

function describeLab(lab: LabInfo, ipvsNode: string): string {
  const cases = lab.demoCases.map((c) => {
    switch (c.kind) {
      case 'no-endpoints': return `- ${c.service}: a Service whose selector matches no pod; kube-proxy REJECTs (connection refused at once).`;
      case 'etp-local-no-local-endpoint': return `- ${c.service} on ${c.node}: externalTrafficPolicy=Local and no local endpoint, so external traffic to this node is dropped.`;
      case 'host-firewall-drop': return `- ${c.node}: a host firewall rule (filter FORWARD, before kube-proxy's) drops ${c.service} traffic to pod ${c.pod}:${c.port}.`;
      case 'dns-wrong-nameserver': return `- pod ${c.pod}: resolv.conf points at ${c.nameserver}, not the cluster DNS (${c.why}).`;
    }
  });
  return [
    `kubepath demo snapshot, captured from the real-cluster lab (scripts/lab): Kubernetes ${lab.kubernetesVersion} apiserver and controllers, the real kube-proxy (iptables mode) and a real sshd in each node's network namespace, collected by \`kubepath collect\`'s own code over SSH and the API.`,
    `Nodes: ${lab.nodes.map((n) => `${n.name} (${n.podCIDR})`).join(', ')} are real; ${ipvsNode} is an IPVS-mode fixture node (this kernel has no ip_vs): its ipsets, iptables rules and kube-ipvs0 addresses were built in a netns and captured with the real tools, its ipvsadm -Ln text is synthesized in the exact format; web's last real server has weight 0 (draining, graceful termination). It also shows up in drift as a node in another proxy mode.`,
    'Scenarios to try:',
    ...cases,
    '- default/web 10.96.0.100:80 from pod client: DNAT to one of three endpoints, 1/3 each.',
    '- default/sticky: ClientIP session affinity (recent module).',
    '- Every ClusterFirst pod has ndots:5 and a three-domain search list: watch example.com walk the search list first.',
  ].join('\n');
}

/** Refuse to write anything that contains the lab's admin token or a private key. */
function assertNoSecrets(json: string, lab: LabInfo): void {
  const leaks = [lab.adminToken, 'PRIVATE KEY', readFileSync(lab.identityFile, 'utf8').split('\n')[1] ?? '\0'].filter((s) => s && json.includes(s));
  if (leaks.length) throw new Error(`refusing to write the demo snapshot: it contains ${leaks.length} secret(s) (admin token or key material)`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = path.resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : 'demo/demo-snapshot.json');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const lab = await startLab({ onLog: log });
  try {
    log(`lab up in ${lab.startupSeconds}s; collecting`);
    const snap: ClusterSnapshot = await collectLab(lab, { onProgress: (e) => e.phase === 'done' && log(`${e.node}: ${e.ok ? 'done' : `FAILED: ${e.error}`}`) });
    const failed = snap.nodes.filter((n) => n.error);
    if (failed.length) throw new Error(`lab node(s) not collected: ${failed.map((n) => `${n.name}: ${n.error!.message}`).join('; ')}`);
    for (const n of snap.nodes) {
      // Another lab on this machine can expose look-alike pod netns; never ship a demo with them.
      const got = (n.pods ?? []).map((p) => p.pod?.name ?? `pid ${p.pid}`).sort();
      const want = lab.pods.filter((p) => p.node === n.name).map((p) => p.name).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${n.name}: pod netns ${got.join(',')} != lab pods ${want.join(',')} (another lab running? retry)`);
    }
    const base = lab.underlay.cidr.replace(/\.0\/24$/, '');
    const ipvsName = 'node-3-ipvs';
    snap.nodes.push(await buildIpvsFixtureNode(snap.api!, { name: ipvsName, nodeIP: `${base}.13`, clusterCIDR: lab.clusterCIDR, drainService: 'default/web', cniDir: lab.nodes[0].cniConfDir }));
    snap.description = describeLab(lab, ipvsName);
    const json = JSON.stringify(snap);
    assertNoSecrets(json, lab);
    parseSnapshot(json, 'demo snapshot'); // the file must load with kubepath's own loader
    saveSnapshot(out, snap);
    chmodSync(out, 0o644); // committed and served by the console: not a secret
    const drift = computeDrift(snap).findings.filter((f) => f.kind !== 'not-checked');
    log(`wrote ${out}: ${snap.nodes.length} nodes, ${snap.api!.services.length} services, ${snap.api!.pods.length} pods, ${drift.length} drift finding(s)`);
  } finally {
    if (!args.includes('--keep-lab')) await stopLab(lab);
    else log(`lab left running: ${lab.runDir}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`capture-demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
