/**
 * The /etc/resolv.conf kubelet writes for a pod (pkg/kubelet/network/dns/dns.go): base from the
 * dnsPolicy, dnsConfig merged on top, then kubelet's limits, with the events kubelet would emit.
 */
import type { PodModel } from '@/lib/model/k8s';

export interface KubeletDnsSettings {
  /** kubelet --cluster-dns. */
  clusterDNS: string[];
  /** kubelet --cluster-domain (empty: no cluster search entries). */
  clusterDomain: string;
  /** Text of kubelet's --resolv-conf file; undefined means --resolv-conf="". */
  hostResolvConf?: string;
  /** ExpandedDNSConfig (default on from 1.26): 32 domains / 2048 chars; off: 6 / 256. */
  expandedDNSConfig?: boolean;
}

export interface KubeletEvent {
  reason: 'DNSConfigForming' | 'MissingClusterDNS';
  message: string;
}

export interface KubeletResolvConf {
  /** The policy kubelet actually applied (hostNetwork + ClusterFirst falls back to Default). */
  effectivePolicy: 'ClusterFirst' | 'Default' | 'None';
  nameservers: string[];
  searches: string[];
  options: string[];
  text: string;
  events: KubeletEvent[];
}

type PodDns = Pick<PodModel, 'namespace' | 'hostNetwork' | 'dnsPolicy' | 'dnsConfig'>;

/** Kubelet's own host-file reader: nameserver accumulates; search and options: last line wins; domain ignored. */
export function kubeletReadHostFile(text: string): { nameservers: string[]; searches: string[]; options: string[] } {
  const out = { nameservers: [] as string[], searches: [] as string[], options: [] as string[] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*/, '').trim();
    const f = line.split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) out.nameservers.push(f[1]);
    else if (f[0] === 'search') out.searches = f.slice(1).map((s) => (s.length > 1 ? s.replace(/\.$/, '') : s));
    else if (f[0] === 'options') out.options = f.slice(1);
  }
  return out;
}

const dedup = (xs: string[]) => [...new Set(xs)];

function mergeOptions(base: string[], extra: { name: string; value?: string }[]): string[] {
  const map = new Map<string, string | undefined>();
  for (const o of base) {
    const i = o.indexOf(':');
    map.set(i >= 0 ? o.slice(0, i) : o, i >= 0 ? o.slice(i + 1) : undefined);
  }
  for (const o of extra) map.set(o.name, o.value); // the pod's value wins
  return [...map].map(([k, v]) => (v === undefined ? k : `${k}:${v}`));
}

export function kubeletResolvConf(pod: PodDns, s: KubeletDnsSettings): KubeletResolvConf {
  const events: KubeletEvent[] = [];
  // --resolv-conf="": the host config is empty; only the Default policy then gets
  // "nameserver 127.0.0.1" + "search ." (kubelet's "effectively disable DNS" setting).
  const host =
    s.hostResolvConf === undefined
      ? { nameservers: [] as string[], searches: [] as string[], options: [] as string[] }
      : kubeletReadHostFile(s.hostResolvConf);
  let policy: KubeletResolvConf['effectivePolicy'];
  const declared = pod.dnsPolicy ?? 'ClusterFirst';
  if (declared === 'None') policy = 'None';
  else if (declared === 'Default') policy = 'Default';
  else if (declared === 'ClusterFirst' && pod.hostNetwork)
    policy = 'Default'; // hostNetwork pods need ClusterFirstWithHostNet
  else policy = 'ClusterFirst';
  if (policy === 'ClusterFirst' && s.clusterDNS.length === 0) {
    events.push({
      reason: 'MissingClusterDNS',
      message:
        'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
    });
    policy = 'Default';
  }
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (policy === 'Default') {
    ({ nameservers, searches, options } = host);
    if (s.hostResolvConf === undefined) {
      nameservers = ['127.0.0.1'];
      searches = ['.'];
    }
  }
  if (policy === 'ClusterFirst') {
    nameservers = [...s.clusterDNS];
    const d = s.clusterDomain;
    searches = d ? dedup([`${pod.namespace}.svc.${d}`, `svc.${d}`, d, ...host.searches]) : host.searches;
    options = ['ndots:5']; // host options are discarded for ClusterFirst
  }
  if (pod.dnsConfig) {
    nameservers = dedup([...nameservers, ...(pod.dnsConfig.nameservers ?? [])]);
    searches = dedup([...searches, ...(pod.dnsConfig.searches ?? [])]);
    options = mergeOptions(options, pod.dnsConfig.options ?? []);
  }
  if (nameservers.length > 3) {
    events.push({
      reason: 'DNSConfigForming',
      message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${nameservers.slice(0, 3).join(' ')}`,
    });
    nameservers = nameservers.slice(0, 3);
  }
  const maxPaths = s.expandedDNSConfig === false ? 6 : 32;
  const maxChars = s.expandedDNSConfig === false ? 256 : 2048;
  let fitted = searches.filter((d) => d.length <= 253);
  if (fitted.length > maxPaths) fitted = fitted.slice(0, maxPaths);
  while (fitted.join(' ').length > maxChars) fitted = fitted.slice(0, -1);
  if (fitted.length !== searches.length) {
    events.push({
      reason: 'DNSConfigForming',
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${fitted.join(' ')}`,
    });
  }
  searches = fitted;
  const lines = nameservers.map((n) => `nameserver ${n}`);
  if (searches.length) lines.push(`search ${searches.join(' ')}`);
  if (options.length) lines.push(`options ${options.join(' ')}`);
  return { effectivePolicy: policy, nameservers, searches, options, text: `${lines.join('\n')}\n`, events };
}
