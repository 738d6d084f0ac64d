/**
 * The CoreDNS `kubernetes` plugin's answer for one query, from the cluster's objects
 * (Kubernetes DNS spec 1.0.1 + plugin/kubernetes behaviour, see docs/dns-semantics.md §1).
 */
import type { DnsRcode, DnsRecord } from '@/lib/model/dns';
import type { EndpointSliceModel, PodModel, ServiceModel } from '@/lib/model/k8s';
import { isIPv4, isIPv6 } from '@/lib/net/ip';
import type { KubernetesPluginConfig } from '@/lib/model/coredns';

export interface ClusterObjects {
  services: ServiceModel[];
  endpointSlices: EndpointSliceModel[];
  pods: PodModel[];
  /** Namespaces known to exist; when absent they are inferred (see clusterNamespaces). */
  namespaces?: string[];
}

export type QType = 'A' | 'AAAA' | 'SRV' | 'TXT' | 'PTR' | 'CNAME';

export interface PluginAnswer {
  rcode: Exclude<DnsRcode, 'REFUSED' | 'NO_RESPONSE' | 'SERVFAIL'>;
  answers: DnsRecord[];
  detail: string;
  /** ExternalName target to chase through the server (CoreDNS does this itself). */
  chase?: string;
}

/** Namespaces CoreDNS would see: the always-present system ones plus every namespace an object lives in. */
export function clusterNamespaces(objs: ClusterObjects): Set<string> {
  if (objs.namespaces) return new Set(objs.namespaces.map((n) => n.toLowerCase()));
  const out = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  for (const o of [...objs.services, ...objs.endpointSlices, ...objs.pods]) out.add(o.namespace.toLowerCase());
  return out;
}

export function isHeadless(svc: ServiceModel): boolean {
  return svc.type !== 'ExternalName' && (svc.clusterIPs.length === 0 || svc.clusterIPs[0] === 'None');
}

/** CoreDNS's label for an endpoint without hostname: the IP with dots/colons as dashes. */
export function dashedIp(ip: string): string {
  const d = ip.replace(/[.:]/g, '-');
  return d.endsWith('-') ? `${d}0` : d.startsWith('-') ? `0${d}` : d;
}

/** Pod label → IP: exactly three dashes and no "--" is IPv4, otherwise dashes are colons (IPv6). */
export function podLabelToIp(label: string): string | undefined {
  const ip =
    label.split('-').length === 4 && !label.includes('--') ? label.replace(/-/g, '.') : label.replace(/-/g, ':');
  return isIPv4(ip) || isIPv6(ip) ? ip : undefined;
}

const stripUnderscore = (s: string) => (s.startsWith('_') ? s.slice(1) : s);
const portMatches = (qPort: string, qProto: string, name: string | undefined, proto: string) =>
  (qPort === '' || qPort === (name ?? '').toLowerCase()) && (qProto === '' || qProto === proto.toLowerCase());

export interface EndpointRecord {
  hostname: string;
  ip: string;
  port?: { name?: string; port: number; protocol: string };
}

/** Ready endpoints of a Service as CoreDNS publishes them (one entry per address × matching port). */
export function serviceEndpoints(
  svc: ServiceModel,
  objs: ClusterObjects,
  cfg: KubernetesPluginConfig,
  qPort = '',
  qProto = '',
): EndpointRecord[] {
  const out: EndpointRecord[] = [];
  for (const slice of objs.endpointSlices) {
    if (slice.namespace !== svc.namespace || slice.service !== svc.name) continue;
    // CoreDNS adds a sentinel port when a slice has none, so port-less headless Services still answer.
    const ports = slice.ports.length ? slice.ports : [{ name: undefined, port: -1, protocol: 'TCP' as const }];
    for (const ep of slice.endpoints) {
      if (!ep.ready) continue; // publishNotReadyAddresses already shows up as ready=true in the slice
      for (const ip of ep.addresses) {
        let hostname = ep.hostname;
        if (!hostname && cfg.endpointPodNames && ep.targetRef?.kind === 'Pod' && ep.targetRef.name.length <= 63)
          hostname = ep.targetRef.name;
        hostname ??= dashedIp(ip);
        for (const p of ports) {
          if (!portMatches(qPort, qProto, p.name, p.protocol)) continue;
          out.push({ hostname: hostname.toLowerCase(), ip, port: p.port >= 0 ? p : undefined });
        }
      }
    }
  }
  return out;
}

function addr(name: string, ip: string, ttl: number): DnsRecord {
  return { name, type: isIPv6(ip) ? 'AAAA' : 'A', ttl, data: ip };
}

/** Spread SRV weights so each set sums to about 100 (floor(100/n), at least 1). */
function srvWeight(n: number): number {
  return Math.max(1, Math.floor(100 / n));
}

/**
 * Answer `qname` (FQDN, lower-case) of `qtype` within `zone`. Returns NXDOMAIN/NODATA/NOERROR
 * exactly as the plugin decides; fallthrough is the caller's business.
 */
export function kubernetesAnswer(
  qname: string,
  qtype: QType,
  zone: string,
  objs: ClusterObjects,
  cfg: KubernetesPluginConfig,
): PluginAnswer {
  const ttl = cfg.ttl;
  const rest = qname === zone ? [] : qname.slice(0, qname.length - zone.length - 1).split('.');
  const nodata = (detail: string): PluginAnswer => ({ rcode: 'NODATA', answers: [], detail });
  const nx = (detail: string): PluginAnswer => ({ rcode: 'NXDOMAIN', answers: [], detail });
  const finish = (records: DnsRecord[], what: string, chase?: string): PluginAnswer => {
    if (records.length === 0) return nx(`${what}: no records`);
    const matching = records.filter((r) => r.type === qtype || r.type === 'CNAME');
    if (matching.length === 0) return nodata(`${what} exists but has no ${qtype} record`);
    return {
      rcode: 'NOERROR',
      answers: matching,
      detail: what,
      chase: matching.some((r) => r.type === 'CNAME') ? chase : undefined,
    };
  };
  if (rest.length === 0) return nodata(`zone apex ${zone}`);
  const kind = rest[rest.length - 1];
  if (kind !== 'svc' && kind !== 'pod') return nx(`the label before the zone must be "svc" or "pod", not "${kind}"`);
  if (rest.length === 1) return nodata(`${qname} is a structural name with no records`);
  const ns = rest[rest.length - 2];
  const namespaces = clusterNamespaces(objs);
  if (!namespaces.has(ns)) return nx(`namespace "${ns}" does not exist`);
  if (rest.length === 2) return nodata(`namespace "${ns}" exists (no records at ${qname})`);

  if (kind === 'pod') {
    if (rest.length > 3) return nx('pod names have exactly one label before the namespace');
    if (cfg.pods === 'disabled') return nx('pod records are disabled (kubernetes plugin "pods disabled", the default)');
    const ip = podLabelToIp(rest[0]);
    if (!ip) return nx(`"${rest[0]}" is not a dashed IP address`);
    if (cfg.pods === 'verified' && !objs.pods.some((p) => p.namespace === ns && p.podIPs.includes(ip))) {
      return nx(`pods verified: no pod with IP ${ip} in namespace ${ns}`);
    }
    return finish([addr(qname, ip, ttl)], `pod record (pods ${cfg.pods}) ${ip}`);
  }

  if (rest.length > 5) return nx('too many labels for a Service name');
  const svcName = rest[rest.length - 3];
  const svc = objs.services.find((s) => s.namespace.toLowerCase() === ns && s.name.toLowerCase() === svcName);
  if (!svc) return nx(`no Service "${svcName}" in namespace "${ns}"`);
  const endpointLabel = rest.length === 4 ? rest[0] : '';
  const qPort = rest.length === 5 ? stripUnderscore(rest[0]).toLowerCase() : '';
  const qProto = rest.length === 5 ? stripUnderscore(rest[1]).toLowerCase() : '';
  const svcFqdn = `${svcName}.${ns}.svc.${zone}`;

  if (svc.type === 'ExternalName') {
    if (endpointLabel || qPort || qProto) return nx('ExternalName Services have no endpoint or port names');
    const target = svc.externalName ?? '';
    if (isIPv4(target) || isIPv6(target) || !target)
      return nx(`ExternalName "${target}" is not a host name (an IP literal yields no record)`);
    const t = target.toLowerCase().endsWith('.') ? target.toLowerCase() : `${target.toLowerCase()}.`;
    return finish(
      [{ name: qname, type: 'CNAME', ttl, data: t }],
      `ExternalName Service ${svc.namespace}/${svc.name} → CNAME ${t}`,
      t,
    );
  }

  if (isHeadless(svc) || endpointLabel) {
    let eps = serviceEndpoints(svc, objs, cfg, qPort, qProto);
    if (endpointLabel) eps = eps.filter((e) => e.hostname === endpointLabel);
    const what = endpointLabel
      ? `endpoint "${endpointLabel}" of Service ${svc.namespace}/${svc.name}`
      : `headless Service ${svc.namespace}/${svc.name} (ready endpoints)`;
    if (eps.length === 0) return nx(`${what}: no ready endpoint matches`);
    const records: DnsRecord[] = [];
    const seen = new Set<string>();
    const srvTargets = eps.filter((e) => e.port && e.port.name);
    for (const e of eps) {
      const key = `${e.hostname}|${e.ip}`;
      if (!seen.has(key)) {
        seen.add(key);
        records.push(addr(qname, e.ip, ttl));
      }
    }
    if (qtype === 'SRV') {
      const w = srvWeight(srvTargets.length || 1);
      const srv = srvTargets.map((e): DnsRecord => ({
        name: qname,
        type: 'SRV',
        ttl,
        data: `0 ${w} ${e.port!.port} ${e.hostname}.${svcFqdn}`,
      }));
      return srv.length
        ? { rcode: 'NOERROR', answers: srv, detail: `${what}: SRV per endpoint × named port` }
        : nodata(`${what}: no named ports, so no SRV`);
    }
    return finish(records, what);
  }

  // ClusterIP Service: the VIPs regardless of endpoints (unless `ignore empty_service`).
  const ports = svc.ports.filter((p) => portMatches(qPort, qProto, p.name, p.protocol));
  if (ports.length === 0) return nx(`Service ${svc.namespace}/${svc.name} has no port matching "${qPort}/${qProto}"`);
  if (cfg.ignoreEmptyService && serviceEndpoints({ ...svc }, objs, cfg).length === 0) {
    return nx(`Service ${svc.namespace}/${svc.name} has no ready endpoints and "ignore empty_service" is set`);
  }
  if (qtype === 'SRV') {
    const named = ports.filter((p) => p.name);
    if (named.length === 0) return nodata('unnamed ports get no SRV records');
    const w = srvWeight(named.length);
    return {
      rcode: 'NOERROR',
      answers: named.map((p) => ({ name: qname, type: 'SRV', ttl, data: `0 ${w} ${p.port} ${svcFqdn}` })),
      detail: `SRV for Service ${svc.namespace}/${svc.name}`,
    };
  }
  const ips = svc.clusterIPs.filter((ip) => ip && ip !== 'None');
  return finish(
    ips.map((ip) => addr(qname, ip, ttl)),
    `ClusterIP Service ${svc.namespace}/${svc.name}`,
  );
}
