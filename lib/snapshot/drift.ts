/**
 * Drift: compares the API's view (Services + EndpointSlices) with the rules each node's kube-proxy
 * actually programmed, and reports differences as data. A node's kube-proxy that lags the API
 * shows missing endpoints (new pods not yet in rules) and stale ones (deleted pods still DNAT
 * targets); a node in another proxy mode than the rest (or than the ConfigMap) is flagged too.
 */
import type { ClusterSnapshot, NodeCapture } from '@/lib/model/snapshot';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { modeFromConfig } from '@/lib/parse/proxy-mode';
import { endpointKey, expectedServicePorts, type ExpectedServicePort } from './drift-expect';
import { readActualRules, type ActualRules } from './drift-rules';
import type { DriftFinding, DriftReport } from '@/lib/model/drift';

function majorityMode(nodes: NodeCapture[]): string | undefined {
  const counts = new Map<string, number>();
  for (const n of nodes)
    if (n.proxyMode && n.proxyMode !== 'unknown') counts.set(n.proxyMode, (counts.get(n.proxyMode) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  return sorted.length && (sorted.length === 1 || sorted[0][1] > sorted[1][1]) ? sorted[0][0] : undefined;
}

export function computeDrift(snap: ClusterSnapshot): DriftReport {
  const report: DriftReport = { checkedNodes: [], findings: [] };
  const api = snap.api;
  if (!api) return report;
  const expected = expectedServicePorts(api);
  const podIps = new Set(api.pods.flatMap((p) => p.podIPs));
  const cmMode = api.kubeProxyConfig ? modeFromConfig(api.kubeProxyConfig) : undefined;
  const majority = majorityMode(snap.nodes.filter((n) => !n.error));

  for (const node of snap.nodes) {
    const add = (f: Omit<DriftFinding, 'node'>) => report.findings.push({ node: node.name, ...f });
    if (node.error) {
      add({ kind: 'not-checked', message: `not collected (${node.error.kind}): ${node.error.message}` });
      continue;
    }
    const mode = node.proxyMode ?? 'unknown';
    if (cmMode && mode !== 'unknown' && mode !== cmMode)
      add({
        kind: 'mode-mismatch',
        message: `kube-proxy runs in ${mode} mode; the kube-proxy ConfigMap says ${cmMode}`,
      });
    else if (majority && mode !== 'unknown' && mode !== majority)
      add({ kind: 'mode-mismatch', message: `kube-proxy runs in ${mode} mode; the other nodes run ${majority}` });
    const text = node.captures['iptables-save']?.stdout;
    if (mode !== 'iptables' || !text) {
      add({ kind: 'not-checked', message: `endpoint drift is checked for iptables mode only (node mode: ${mode})` });
      continue;
    }
    report.checkedNodes.push(node.name);
    const before = report.findings.length;
    const actual = readActualRules(parseIptablesSave(text).value);
    checkNode(node, expected, actual, podIps, add);
    const drifted = report.findings
      .slice(before)
      .filter((f) => f.kind !== 'stale-service' && f.kind !== 'missing-no-endpoints-reject').length;
    if (drifted)
      add({
        kind: 'lagging',
        message: `kube-proxy on ${node.name} disagrees with the API on ${drifted} endpoint(s)/service(s): it lags, is stuck, or is not running`,
      });
  }
  return report;
}

function checkNode(
  node: NodeCapture,
  expected: ExpectedServicePort[],
  actual: ActualRules,
  podIps: Set<string>,
  add: (f: Omit<DriftFinding, 'node'>) => void,
): void {
  const v4 = (ip: string) => !ip.includes(':'); // iptables-save holds IPv4 only
  const known = new Set<string>();
  for (const sp of expected) {
    const eps = sp.endpoints.filter((e) => v4(e.ip) && (!sp.internalLocal || e.nodeName === node.name));
    const chainName = `KUBE-${sp.internalLocal ? 'SVL' : 'SVC'}-${sp.hash}`;
    known.add(`KUBE-SVC-${sp.hash}`).add(`KUBE-SVL-${sp.hash}`);
    const chain = actual.chains.get(chainName);
    if (!eps.length) {
      if (!actual.noEndpoints.has(sp.spn) && !sp.internalLocal)
        add({
          kind: 'missing-no-endpoints-reject',
          service: sp.spn,
          message: `${sp.spn} has no endpoints in the API but the node has no "has no endpoints" REJECT rule`,
        });
      if (chain?.endpoints.size) reportStale(chain.endpoints, new Set(), sp, chainName, podIps, add);
      continue;
    }
    if (!chain) {
      add({
        kind: 'missing-service',
        service: sp.spn,
        chain: chainName,
        message: `${sp.spn}/${sp.protocol.toLowerCase()} has ${eps.length} endpoint(s) in the API but no ${chainName} chain on the node`,
      });
      continue;
    }
    const want = new Set(eps.map((e) => endpointKey(e.ip, e.port)));
    for (const e of eps) {
      const key = endpointKey(e.ip, e.port);
      if (!chain.endpoints.has(key))
        add({
          kind: 'missing-endpoint',
          service: sp.spn,
          chain: chainName,
          endpoint: key,
          message: `${sp.spn}: endpoint ${key}${e.podName ? ` (pod ${e.podName})` : ''} is in the API but not in ${chainName}`,
        });
    }
    reportStale(chain.endpoints, want, sp, chainName, podIps, add);
  }
  for (const chain of actual.chains.values()) {
    if (known.has(chain.chain)) continue;
    const decl = { line: chain.declLine, raw: `:${chain.chain} - [0:0]` };
    add({
      kind: 'stale-service',
      chain: chain.chain,
      service: chain.spn,
      rule: decl,
      message: `${chain.chain}${chain.spn ? ` (${chain.spn})` : ''} matches no Service port in the API (deleted service?)`,
    });
  }
}

function reportStale(
  have: Map<string, { line: number; raw: string }>,
  want: Set<string>,
  sp: ExpectedServicePort,
  chainName: string,
  podIps: Set<string>,
  add: (f: Omit<DriftFinding, 'node'>) => void,
): void {
  for (const [key, rule] of have) {
    if (want.has(key)) continue;
    const ip = key.replace(/^\[?(.*?)\]?:\d+$/, '$1');
    const gone = !podIps.has(ip);
    add({
      kind: gone ? 'stale-pod' : 'stale-endpoint',
      service: sp.spn,
      chain: chainName,
      endpoint: key,
      rule: { line: rule.line, raw: rule.raw },
      message: gone
        ? `${sp.spn}: node still DNATs to ${key}, and no pod in the API has ${ip} (deleted pod)`
        : `${sp.spn}: node still DNATs to ${key}, which the API no longer lists as a ready endpoint`,
    });
  }
}
