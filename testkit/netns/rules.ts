/**
 * Loading and reading back netfilter state inside a lab netns, exactly as on a node:
 * `iptables-restore` / `nft -f` in, `iptables-save` / `nft list ruleset` / `ip -j addr` out.
 */
import { nsRun } from './exec';

/** Replaces the netns' iptables rules (all tables named in `rules`) with `iptables-restore` (`ip6tables-restore` for family 6). */
export async function loadIptables(ns: string, rules: string, family: 4 | 6 = 4): Promise<void> {
  await nsRun(ns, family === 6 ? 'ip6tables-restore' : 'iptables-restore', [], { input: rules });
}

/** Removes every iptables (nft backend) table and any nft table from the netns. */
export async function flushNetfilter(ns: string): Promise<void> {
  await nsRun(ns, 'nft', ['flush', 'ruleset']);
}

/** `iptables-save` of the netns (with `[p:b]` counters when `counters`). */
export async function saveIptables(ns: string, counters = false, family: 4 | 6 = 4): Promise<string> {
  return (await nsRun(ns, family === 6 ? 'ip6tables-save' : 'iptables-save', counters ? ['-c'] : [])).stdout;
}

/** Loads an nft ruleset file text with `nft -f -`. */
export async function loadNft(ns: string, text: string): Promise<void> {
  await nsRun(ns, 'nft', ['-f', '-'], { input: text });
}

/** `nft list ruleset` of the netns. */
export async function listNft(ns: string): Promise<string> {
  return (await nsRun(ns, 'nft', ['list', 'ruleset'])).stdout;
}

/** Forgets every connection so the next packet of each flow is NEW again (nat is consulted). */
export async function flushConntrack(ns: string): Promise<void> {
  // conntrack -F exits 0 even when the table is empty; stderr carries a banner we ignore.
  await nsRun(ns, 'conntrack', ['-F'], { allowFail: true });
}

/** `ip -j addr` and `ip -j route` of the netns, raw JSON text. */
export async function captureIp(ns: string): Promise<{ addr: string; route: string }> {
  const [addr, route] = await Promise.all([nsRun(ns, 'ip', ['-j', 'addr']), nsRun(ns, 'ip', ['-j', 'route'])]);
  return { addr: addr.stdout, route: route.stdout };
}
