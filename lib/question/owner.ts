/**
 * Whose rule is it? Read from the rule's chain and comment only, never from the verdict: the SRE
 * needs to know whether to talk to the platform team (kube-proxy, kubelet, CNI) or to whoever owns
 * the node's own firewall.
 */
import type { RuleOwner } from '@/lib/model/answer';

/** kubelet writes these (kube-proxy keeps a copy of KUBE-FIREWALL, but the mark-drop pair is kubelet's). */
const KUBELET_CHAINS = new Set(['KUBE-FIREWALL', 'KUBE-MARK-DROP', 'KUBE-KUBELET-CANARY']);

/** Chain prefixes of the common CNIs and network-policy engines. */
const CNI_PREFIXES = [
  'CNI-',
  'cali-',
  'ANTREA-',
  'CILIUM_',
  'cilium',
  'FLANNEL',
  'KUBE-ROUTER',
  'KUBE-POD-FW-',
  'KUBE-NWPLCY-',
  'WEAVE',
  'OVN',
  'ovn',
  'felix-',
];

/** kube-proxy's own comments on rules it writes into built-in chains. */
const KUBE_PROXY_COMMENT =
  /^kubernetes (service portals|externally-visible service portals|forwarding rules|postrouting rules|health check service ports|load balancer firewall|ipvs access filter|health check rules)|^kube-proxy firewall rules|^Kubernetes /;

/** `table` is the step's table label: filter, nat, "ip6tables filter", or an nft "FAMILY NAME". */
export function ownerOf(table: string, chain: string, comment?: string): RuleOwner {
  // nftables: the table says whose rules they are ("ip kube-proxy", "inet cilium", ...).
  if (/(^|\s)kube-proxy$/.test(table)) return 'kube-proxy';
  if (/(^|\s)(calico|cilium\S*|antrea|flannel|kube-router)$/i.test(table)) return 'cni';
  if (/(^|\s)(firewalld|ufw)$/.test(table)) return 'host-firewall';
  if (KUBELET_CHAINS.has(chain)) return 'kubelet';
  if (CNI_PREFIXES.some((p) => chain.startsWith(p))) return 'cni';
  if (chain.startsWith('KUBE-')) return 'kube-proxy';
  if (comment && KUBE_PROXY_COMMENT.test(comment)) return 'kube-proxy';
  if (comment && /^(cali|cni|antrea|cilium|flannel)[:-]/i.test(comment)) return 'cni';
  // Anything else in filter/raw/mangle (a rule or a built-in chain's policy) is the node's own
  // firewall; elsewhere (nat, routing) nobody can be named.
  return /(^|\s)(filter|raw|mangle|security)$/.test(table) ? 'host-firewall' : 'unknown';
}

/** The rule's own name for a sentence: its comment without a leading "host-firewall:" style tag. */
export function ruleName(comment?: string): string | undefined {
  if (!comment) return undefined;
  const name = comment.replace(/^(host[- ]?firewall|firewall)\s*:\s*/i, '').trim();
  return name || undefined;
}

export const OWNER_TEXT: Record<RuleOwner, string> = {
  'kube-proxy': 'kube-proxy',
  kubelet: 'kubelet',
  'host-firewall': 'host firewall',
  cni: 'CNI',
  unknown: 'unknown owner',
};
