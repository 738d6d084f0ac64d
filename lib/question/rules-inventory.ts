/**
 * An inventory for the per-node form (`kubepath trace --iptables-save …`): no API objects, only
 * the one node's captures. Services are read from kube-proxy's own rule comments ("ns/svc:port
 * cluster IP", "... has no endpoints", "external IP", "loadbalancer IP") with the rule's -d and
 * --dport, so an un-DNATed packet to a Service address or port can still be named. Nothing is said
 * about pods (no stale-endpoint verdict without the API) and no other node is known.
 */
import type { ServiceModel } from '@/lib/model/k8s';
import type { NetfilterDump, Rule } from '@/lib/model/netfilter';
import type { TraceInputs } from '@/lib/model/trace-inputs';
import { normalizeIp } from '@/lib/net/ip';
import { capturedNodeAddress, serviceRange, type Inventory } from './inventory';

const COMMENT =
  /^(\S+?)\/(\S+?)(?::(\S+))? (cluster IP|has no endpoints|has no local endpoints|external IP|loadbalancer IP)$/;

function dport(r: Rule): number | undefined {
  for (const m of r.matches)
    for (const o of m.options)
      if ((o.name === 'dport' || o.name === 'destination-port') && !o.negated) return Number(o.values[0]);
  return undefined;
}

function servicesFromRules(dumps: (NetfilterDump | undefined)[]): ServiceModel[] {
  const byName = new Map<string, ServiceModel>();
  for (const d of dumps) {
    for (const table of [d?.tables.nat, d?.tables.filter]) {
      for (const r of table?.chains['KUBE-SERVICES']?.rules ?? []) {
        const m = r.comment?.match(COMMENT);
        const ip =
          r.destination && !r.destination.negated
            ? normalizeIp(r.destination.value.replace(/\/(32|128)$/, ''))
            : undefined;
        const port = dport(r);
        if (!m || !ip || port === undefined) continue;
        const key = `${m[1]}/${m[2]}`;
        let s = byName.get(key);
        if (!s)
          byName.set(
            key,
            (s = {
              namespace: m[1],
              name: m[2],
              type: 'ClusterIP',
              clusterIPs: [],
              ports: [],
              externalIPs: [],
              loadBalancerIPs: [],
              loadBalancerSourceRanges: [],
            }),
          );
        const list =
          m[4] === 'external IP' ? s.externalIPs : m[4] === 'loadbalancer IP' ? s.loadBalancerIPs : s.clusterIPs;
        if (!list.includes(ip)) list.push(ip);
        const protocol = (r.protocol?.value ?? 'tcp').toUpperCase() as 'TCP' | 'UDP' | 'SCTP';
        if (!s.ports.some((p) => p.port === port && p.protocol === protocol))
          s.ports.push({ name: m[3], port, protocol });
      }
    }
  }
  return [...byName.values()];
}

export function inventoryFromRules(inputs: TraceInputs, node: string): Inventory {
  const services = servicesFromRules([inputs.iptables, inputs.ip6tables]);
  const own = new Set<string>();
  for (const itf of inputs.interfaces ?? []) {
    if (itf.name === 'lo' || itf.name === 'kube-ipvs0') continue;
    for (const a of itf.addresses)
      if (a.scope !== 'host' && a.scope !== 'link') own.add(normalizeIp(a.address) ?? a.address);
  }
  for (const ip of inputs.localIPs ?? []) own.add(normalizeIp(ip) ?? ip);
  const byCluster = new Map<string, ServiceModel>();
  const byExternal = new Map<string, ServiceModel>();
  for (const s of services) {
    for (const ip of s.clusterIPs) byCluster.set(ip, s);
    for (const ip of [...s.externalIPs, ...s.loadBalancerIPs]) byExternal.set(ip, s);
  }
  const n = (ip: string) => normalizeIp(ip) ?? ip;
  return {
    hasApi: false,
    podByIp: () => undefined,
    nodeByAddress: (ip) => (own.has(n(ip)) ? node : undefined),
    nodeByPodCidr: () => undefined,
    nodeAddress: (x) => (x === node ? (capturedNodeAddress(inputs) ?? inputs.localIPs?.[0]) : undefined),
    serviceByClusterIp: (ip) => byCluster.get(n(ip)),
    serviceByExternalIp: (ip) => byExternal.get(n(ip)),
    isEndpointAddress: () => false,
    serviceRange: serviceRange(services),
    collected: (x) => x === node,
    knows: (x) => x === node,
  };
}
