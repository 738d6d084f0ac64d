/**
 * Pod network namespaces on a node: discovered with a fixed /proc walk, one PID per netns (the
 * host's own netns excluded), each PID validated before it is used in `nsenter -t PID -n ip -j addr`
 * and `cat /proc/PID/root/etc/resolv.conf`.
 */
import type { PodNetnsCapture, RawCapture } from '@/lib/model/snapshot';
import { NETNS_DISCOVERY, podIpAddrCommand, podResolvConfCommand, validatePid, type Argv } from './commands';

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

/** Addresses listed by `ip -j addr` (both families). */
export function addressesOf(ipJson: string): string[] {
  try {
    const links = JSON.parse(ipJson) as { addr_info?: { local?: string }[] }[];
    return links.flatMap((l) => (l.addr_info ?? []).map((a) => a.local ?? '')).filter(Boolean);
  } catch {
    return [];
  }
}

interface LinkEnds {
  ifindex?: number;
  link_index?: number;
}

/** veth ends as (own ifindex, peer ifindex) pairs from `ip -j addr`. */
function vethEnds(ipJson: string): [number, number][] {
  try {
    return (JSON.parse(ipJson) as LinkEnds[]).filter((l) => l.ifindex !== undefined && l.link_index !== undefined).map((l) => [l.ifindex!, l.link_index!]);
  } catch {
    return [];
  }
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

export async function collectPods(run: Run, opts: { maxPods: number; podIps?: string[]; hostIpAddr?: string; warnings: string[] }): Promise<PodNetnsCapture[]> {
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
  const wanted = opts.podIps ? new Set(opts.podIps) : undefined;
  const pods: PodNetnsCapture[] = [];
  let inspected = 0;
  for (const [netns, pid] of [...byNetns].sort((a, b) => a[1] - b[1])) {
    if (inspected >= opts.maxPods) {
      opts.warnings.push(`pod netns: stopped after ${opts.maxPods} namespaces (${byNetns.size} found)`);
      break;
    }
    inspected++;
    const ipAddr = await run('pod-ip-addr', podIpAddrCommand(pid));
    if (ipAddr.error) continue; // the process exited or is not a pod; nothing to record
    const addrs = addressesOf(ipAddr.stdout);
    // Only loopback: not a pod sandbox (or not yet wired). With API pod IPs, keep only their netns.
    if (!addrs.some((a) => a !== '127.0.0.1' && a !== '::1')) continue;
    if (wanted && !addrs.some((a) => wanted.has(a))) continue;
    const resolvConf = await run('pod-resolv.conf', podResolvConfCommand(pid));
    pods.push({ pid, netns, ipAddr, resolvConf });
  }
  return dropLookAlikes(pods, opts.hostIpAddr);
}

/**
 * On a shared-PID machine (the lab; nested setups) other nodes' pod netns are visible too, and may
 * even reuse the same IPs. With veth-based CNIs every real pod of THIS node is paired with a host
 * veth, so once any pod is paired, unpaired netns are dropped. Non-veth CNIs (ipvlan, macvlan)
 * pair none, and then all candidates are kept.
 */
function dropLookAlikes(pods: PodNetnsCapture[], hostIpAddr?: string): PodNetnsCapture[] {
  if (!hostIpAddr) return pods;
  const paired = pods.filter((p) => pairedWithHost(hostIpAddr, p.ipAddr.stdout));
  return paired.length ? paired : pods;
}
