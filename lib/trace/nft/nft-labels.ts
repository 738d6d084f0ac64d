/**
 * Kubernetes meaning of kube-proxy nftables chain names. Service-port chains carry the
 * identity in their name: `service-<HASH8>-<ns>/<svc>/<proto>/<portName>`, endpoint chains
 * `endpoint-<HASH8>-<ns>/<svc>/<proto>/<portName>__<ip>/<port>` (IPv6 colons become dots).
 */
import type { K8sLabel } from '@/lib/model/trace';

const PREFIX_ROLE: [string, string][] = [
  ['service-', 'service'],
  ['local-', 'service-local'],
  ['external-', 'external'],
  ['firewall-', 'firewall'],
  ['endpoint-', 'endpoint'],
];

const NAMED: Record<string, string> = {
  services: 'services',
  'mark-for-masquerade': 'mark-masq',
  masquerading: 'postrouting',
  'firewall-check': 'proxy-firewall',
  'service-endpoints-check': 'external-services',
  'nodeport-endpoints-check': 'external-services',
  'cluster-ips-check': 'cluster-ips-check',
  'reject-chain': 'reject',
};

/** Label for an nft chain name, or undefined for non-kube chains. */
export function nftLabel(chain: string): K8sLabel | undefined {
  const named = NAMED[chain];
  if (named) return { role: named };
  for (const [prefix, role] of PREFIX_ROLE) {
    if (!chain.startsWith(prefix)) continue;
    const m = /^[a-z]+-[A-Z0-9]{8}-([^/]+)\/([^/]+)\/([a-z]+)\/([^_]*)(?:__(.+)\/(\d+))?$/.exec(chain);
    if (!m) return { role };
    const service = `${m[1]}/${m[2]}${m[4] ? `:${m[4]}` : ''}`;
    const l: K8sLabel = { role, service };
    if (m[5]) {
      const ip = m[5].includes('.') && m[5].split('.').length !== 4 ? m[5].replace(/\./g, ':') : m[5];
      l.endpoint = ip.includes(':') ? `[${ip}]:${m[6]}` : `${ip}:${m[6]}`;
    }
    return l;
  }
  if (chain.startsWith('filter-') || chain.startsWith('nat-')) return { role: 'builtin' };
  return undefined;
}
