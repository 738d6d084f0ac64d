/**
 * Pod network namespaces on a node: discovered with a fixed /proc walk, one PID per netns (the
 * host's own netns excluded), each PID validated before it is used in `nsenter -t PID -n ip -j addr`
 * and `cat /proc/PID/root/etc/resolv.conf`.
 */
import type { PodModel } from '@/lib/model/k8s';
import type { PodNetnsCapture, RawCapture } from '@/lib/model/snapshot';
import { sha256 } from '@/lib/snapshot/hash';
import { addressesOf, vethEnds } from '@/lib/parse/ip-addr-local';

export { addressesOf };
import {
  NETNS_DISCOVERY,
  podIpAddrBatchCommand,
  podIpAddrCommand,
  podResolvConfCommand,
  shellQuote,
  splitPodIpAddrBatch,
  validatePid,
  type Argv,
} from './commands';

type Run = (kind: string, argv: Argv) => Promise<RawCapture>;

/** Parses the discovery output into netns → lowest PID (the longest-lived process, usually pause). */
export function parseNetnsDiscovery(text: string): { self?: string; byNetns: Map<string, number> } {
  let self: string | undefined;
  const byNetns = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\S+) (net:\[[0-9]+\])$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === 'self') {
      self = m[2];
      continue;
    }
    let pid: number;
    try {
      pid = validatePid(m[1]);
    } catch {
      continue; // never happens with the fixed command; a hostile /proc would be ignored
    }
    const prev = byNetns.get(m[2]);
    if (prev === undefined || pid < prev) byNetns.set(m[2], pid);
  }
  return { self, byNetns };
}

/**
 * Is this netns wired to the collector's netns by a veth pair? The pod end's peer index is a host
 * interface whose own peer index is the pod end. Ifindexes are per netns, so both directions must
 * agree; this tells this node's pods from look-alikes elsewhere on a shared-PID machine.
 */
export function pairedWithHost(hostIpJson: string, podIpJson: string): boolean {
  const host = new Set(vethEnds(hostIpJson).map(([i, peer]) => `${i}:${peer}`));
  return vethEnds(podIpJson).some(([i, peer]) => host.has(`${peer}:${i}`));
}

export async function collectPods(
  run: Run,
  opts: { maxPods: number; podIps?: string[]; hostIpAddr?: string; warnings: string[] },
): Promise<PodNetnsCapture[]> {
  const disc = await run('pods', NETNS_DISCOVERY);
  if (disc.error && !disc.stdout) {
    opts.warnings.push(`pod netns discovery: ${disc.error}`);
    return [];
  }
  const { self, byNetns } = parseNetnsDiscovery(disc.stdout);
  if (!self) {
    opts.warnings.push('pod netns discovery: own netns unknown; pods skipped');
    return [];
  }
  byNetns.delete(self);
  const candidates = [...byNetns].sort((a, b) => a[1] - b[1]);
  if (candidates.length > opts.maxPods)
    opts.warnings.push(`pod netns: inspected ${opts.maxPods} of ${candidates.length} namespaces`);
  const wanted = opts.podIps ? new Set(opts.podIps) : undefined;
  const pods: PodNetnsCapture[] = [];
  const inspect = candidates.slice(0, opts.maxPods);
  for (let i = 0; i < inspect.length; i += BATCH) {
    const chunk = inspect.slice(i, i + BATCH);
    const batch = await run('pod-ip-addr', podIpAddrBatchCommand(chunk.map(([, pid]) => pid)));
    const sections = splitPodIpAddrBatch(batch.stdout);
    for (const [netns, pid] of chunk) {
      const text = sections.get(pid) ?? '';
      const addrs = addressesOf(text);
      // Only loopback (or the process is gone): not a pod sandbox. With API pod IPs, keep only theirs.
      if (!addrs.some((a) => a !== '127.0.0.1' && a !== '::1')) continue;
      if (wanted && !addrs.some((a) => wanted.has(a))) continue;
      // The section is exactly what `nsenter -t PID -n ip -j addr` printed for this PID.
      const ipAddr: RawCapture = {
        command: shellQuote(podIpAddrCommand(pid)),
        stdout: text,
        stderr: '',
        exitCode: 0,
        sha256: sha256(text),
      };
      const resolvConf = await run('pod-resolv.conf', podResolvConfCommand(pid));
      pods.push({ pid, netns, ipAddr, resolvConf });
    }
  }
  return dropLookAlikes(pods, opts.hostIpAddr);
}

const BATCH = 64;

/**
 * On a shared-PID machine (the lab; nested setups) other nodes' pod netns are visible too and may
 * reuse the same IPs. When an IP is claimed by several netns, keep only the ones whose veth pairs
 * with a host interface (see pairedWithHost; ifindexes are per netns, so this is a heuristic and
 * only used as a tie-breaker). Real nodes never see another node's pods.
 */
function dropLookAlikes(pods: PodNetnsCapture[], hostIpAddr?: string): PodNetnsCapture[] {
  if (!hostIpAddr) return pods;
  const real = (a: string) => a !== '127.0.0.1' && a !== '::1';
  const claims = new Map<string, PodNetnsCapture[]>();
  for (const p of pods)
    for (const a of addressesOf(p.ipAddr.stdout).filter(real)) claims.set(a, [...(claims.get(a) ?? []), p]);
  return pods.filter((p) =>
    addressesOf(p.ipAddr.stdout)
      .filter(real)
      .every((a) => {
        const rivals = claims.get(a)!;
        if (rivals.length === 1) return true;
        const paired = rivals.filter((r) => pairedWithHost(hostIpAddr, r.ipAddr.stdout));
        return paired.length === 0 || paired.includes(p);
      }),
  );
}

/** Pod IPs per API node name, so a node's collector keeps only the netns of ITS pods. */
export function podIpsByNode(pods: PodModel[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of pods) if (p.nodeName && !p.hostNetwork) (out[p.nodeName] ??= []).push(...p.podIPs);
  return out;
}
