/**
 * Kubernetes meaning of kube-proxy chains and rules: the chain's role from its name prefix
 * (KUBE-SVC-, KUBE-SEP-, ...) and the Service `ns/name:port` from rule comments. In
 * large-cluster mode (> 1000 endpoints) SVC/SEP comments are gone, so the walker carries the
 * service it learned from the KUBE-SERVICES / KUBE-NODEPORTS comment down the chain graph.
 */
import type { K8sLabel } from '@/lib/model/trace';
import type { Rule } from '@/lib/model/netfilter';

const ROLE_BY_PREFIX: [string, string][] = [
  ['KUBE-SVC-', 'service'],
  ['KUBE-SVL-', 'service-local'],
  ['KUBE-EXT-', 'external'],
  ['KUBE-FW-', 'firewall'],
  ['KUBE-SEP-', 'endpoint'],
  ['KUBE-XLB-', 'xlb'],
];

const ROLE_BY_NAME: Record<string, string> = {
  'KUBE-SERVICES': 'services',
  'KUBE-NODEPORTS': 'nodeports',
  'KUBE-NODE-PORT': 'nodeports',
  'KUBE-MARK-MASQ': 'mark-masq',
  'KUBE-MARK-DROP': 'mark-drop',
  'KUBE-POSTROUTING': 'postrouting',
  'KUBE-FORWARD': 'forward',
  'KUBE-EXTERNAL-SERVICES': 'external-services',
  'KUBE-PROXY-FIREWALL': 'proxy-firewall',
  'KUBE-FIREWALL': 'firewall-localnet',
  'KUBE-LOAD-BALANCER': 'load-balancer',
  'KUBE-SOURCE-RANGES-FIREWALL': 'source-ranges-firewall',
  'KUBE-IPVS-FILTER': 'ipvs-filter',
  'KUBE-IPVS-OUT-FILTER': 'ipvs-out-filter',
  'KUBE-PORTALS-CONTAINER': 'userspace-portals',
  'KUBE-PORTALS-HOST': 'userspace-portals',
  'KUBE-PROXY-CANARY': 'canary',
};

/** Role of a chain: a kube-proxy role, 'builtin' for kernel hooks, or 'host' for anything else. */
export function chainRole(chain: string): string {
  const byName = ROLE_BY_NAME[chain];
  if (byName) return byName;
  for (const [prefix, role] of ROLE_BY_PREFIX) if (chain.startsWith(prefix)) return role;
  if (/^(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING)$/.test(chain)) return 'builtin';
  if (chain.startsWith('KUBE-')) return 'kube';
  return 'host';
}

// `ns/name` with an optional `:port` (port names are IANA_SVC_NAME-ish; old dumps end in `:`).
const SERVICE_RE = /([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[-A-Za-z0-9_.]*)?)/;

/** The Service named in a kube-proxy comment, if any: `ns1/svc1:p80 cluster IP` → `ns1/svc1:p80`. */
const serviceCache = new Map<string, string | null>();

export function serviceFromComment(comment: string | undefined): string | undefined {
  if (!comment) return undefined;
  let v = serviceCache.get(comment);
  if (v === undefined) {
    const m = SERVICE_RE.exec(comment);
    v = m ? m[1].replace(/:$/, '') : null;
    if (serviceCache.size > 200_000) serviceCache.clear();
    serviceCache.set(comment, v);
  }
  return v ?? undefined;
}

/** Endpoint `ip:port` in an SVC→SEP comment (`ns/svc:p -> 10.0.0.1:80`). */
export function endpointFromComment(comment: string | undefined): string | undefined {
  const m = comment ? /->\s*(\S+)/.exec(comment) : null;
  return m ? m[1] : undefined;
}

/** The rule's `--comment` text: the parser's convenience field, else the comment module itself. */
export function ruleComment(rule: Rule): string | undefined {
  if (typeof rule.comment === 'string') return rule.comment;
  for (const m of rule.matches) {
    if (m.name !== 'comment') continue;
    const o = m.options.find((x) => x.name.replace(/^-+/, '') === 'comment');
    if (o) return o.values[0];
  }
  return undefined;
}

/** Chains whose service identity flows down from the rule that jumped to them. */
export function inheritsService(chain: string): boolean {
  return ROLE_BY_PREFIX.some(([p]) => chain.startsWith(p)) || chain.startsWith('KUBE-MARK-');
}

export function makeLabel(chain: string, service: string | undefined, endpoint?: string): K8sLabel | undefined {
  let role = chainRole(chain);
  // A verdict written straight into a built-in chain is the host's own rule, not kube-proxy's.
  if (role === 'builtin') role = 'host';
  const l: K8sLabel = { role };
  if (service) l.service = service;
  if (endpoint) l.endpoint = endpoint;
  return l;
}
