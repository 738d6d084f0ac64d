/**
 * Writes dnsmasq configuration that answers like CoreDNS's kubernetes plugin, generated from the
 * same cluster objects the model reads, written independently from lib/dns/cluster-records.ts
 * (straight from the Kubernetes DNS spec) so the real-resolver test is not circular:
 *   - `local=/<zone>/` makes every unknown name under the zone NXDOMAIN (never forwarded);
 *   - TXT records on the zone apex, svc/pod and each existing namespace make A/AAAA there NODATA,
 *     as CoreDNS answers for "<ns>.svc.<zone>" when the namespace exists;
 *   - host-record for ClusterIPs, ready endpoints (headless A set and per-endpoint names), pods;
 *   - cname for ExternalName Services whose target is inside the zone (dnsmasq cannot chase an
 *     outside target the way CoreDNS does, so those are listed as not emulated).
 */
import type { EndpointSliceModel, PodModel, ServiceModel } from '@/lib/model/k8s';

export interface LabObjects {
  services: ServiceModel[];
  endpointSlices: EndpointSliceModel[];
  pods: PodModel[];
  namespaces: string[];
}

export interface ClusterDnsmasqOptions {
  zone: string; // no trailing dot
  listen: string;
  upstream: string;
  ttl: number;
  runDir: string;
}

const v6 = (ip: string) => ip.includes(':');
const dashed = (ip: string) => ip.replace(/[.:]/g, '-');

function hostRecords(name: string, ips: string[], ttl: number): string[] {
  // One host-record per address; dnsmasq merges them into one RRset per name and type.
  return ips.map((ip) => `host-record=${name},${ip},${ttl}`);
}

export function clusterDnsmasqConfig(
  objs: LabObjects,
  o: ClusterDnsmasqOptions,
): { text: string; notEmulated: string[] } {
  const z = o.zone;
  const lines = [
    'no-resolv',
    'no-hosts',
    'bind-interfaces',
    `listen-address=${o.listen}`,
    'user=root',
    'cache-size=0',
    `pid-file=${o.runDir}/cluster.pid`,
    'log-queries=extra',
    `log-facility=${o.runDir}/cluster.log`,
    `local=/${z}/`,
    `server=${o.upstream}`,
    `txt-record=${z},zone`,
    `txt-record=svc.${z},zone`,
    `txt-record=pod.${z},zone`,
  ];
  const notEmulated: string[] = [];
  for (const ns of objs.namespaces)
    lines.push(`txt-record=${ns}.svc.${z},namespace`, `txt-record=${ns}.pod.${z},namespace`);
  for (const svc of objs.services) {
    const base = `${svc.name}.${svc.namespace}.svc.${z}`;
    if (svc.type === 'ExternalName') {
      const t = (svc.externalName ?? '').replace(/\.$/, '');
      if (/^[\d.]+$/.test(t) || t.includes(':') || !t) continue; // IP literal: no record at all
      if (t.endsWith(`.${z}`)) lines.push(`cname=${base},${t},${o.ttl}`);
      else notEmulated.push(`${base} (ExternalName to ${t}: CoreDNS chases it, dnsmasq cannot)`);
      continue;
    }
    const ready = objs.endpointSlices
      .filter((s) => s.namespace === svc.namespace && s.service === svc.name)
      .flatMap((s) =>
        s.endpoints
          .filter((e) => e.ready)
          .flatMap((e) => e.addresses.map((ip) => ({ ip, host: e.hostname ?? dashed(ip) }))),
      );
    const headless = svc.clusterIPs.length === 0 || svc.clusterIPs[0] === 'None';
    if (headless) lines.push(...hostRecords(base, [...new Set(ready.map((r) => r.ip))], o.ttl));
    else if (svc.ports.length > 0) lines.push(...hostRecords(base, svc.clusterIPs, o.ttl));
    for (const r of ready) lines.push(...hostRecords(`${r.host}.${base}`, [r.ip], o.ttl));
    for (const p of svc.ports) {
      if (p.name && !headless)
        lines.push(`srv-host=_${p.name}._${p.protocol.toLowerCase()}.${base},${base},${p.port},0,100`);
    }
  }
  // pods insecure: a-b-c-d.<ns>.pod.<zone> for the pods we know of.
  for (const p of objs.pods)
    for (const ip of p.podIPs)
      if (!v6(ip)) lines.push(...hostRecords(`${dashed(ip)}.${p.namespace}.pod.${z}`, [ip], o.ttl));
  return { text: `${[...new Set(lines)].join('\n')}\n`, notEmulated };
}

/** An authoritative-for-everything upstream: host-records from the hosts table, NXDOMAIN otherwise. */
export function upstreamDnsmasqConfig(hostsText: string, listen: string, runDir: string): string {
  const lines = [
    'no-resolv',
    'no-hosts',
    'bind-interfaces',
    `listen-address=${listen}`,
    'user=root',
    'cache-size=0',
    `pid-file=${runDir}/upstream.pid`,
    'log-queries=extra',
    `log-facility=${runDir}/upstream.log`,
    'local=/#/',
  ];
  for (const raw of hostsText.split('\n')) {
    const [ip, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (!ip || names.length === 0) continue;
    for (const n of names) lines.push(`host-record=${n},${ip}`);
  }
  return `${lines.join('\n')}\n`;
}
