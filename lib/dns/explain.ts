/**
 * Public entry point: explain how a pod resolves one name, from its resolv.conf, the cluster's
 * objects, the Corefile (or legacy kube-dns config) and what upstream DNS knows.
 * The packet path to each nameserver is delegated to an optional `traceNameserver` callback so
 * the console can plug in lib/trace without lib/dns depending on it.
 */
import type { NameserverPath, ResolverFlavor, DnsExplanation } from '@/lib/model/dns';
import type { ParseIssue } from '@/lib/parse/parse-result';
import { parseResolvConf } from '@/lib/parse/resolv-conf';
import { readResolverConfig } from '@/lib/dns/resolver-config';
import { readCorefile, KUBEADM_DEFAULT_COREFILE } from '@/lib/dns/coredns-config';
import { recognizeLegacyKubeDns } from '@/lib/dns/legacy-kube-dns';
import { parseHostsFile } from '@/lib/dns/hosts-file';
import { answerAt, NODELOCAL_DNS_IP, type DnsWorld } from '@/lib/dns/server';
import { simulateLookup } from '@/lib/dns/lookup';
import { dnsFindings } from '@/lib/dns/findings';
import { podResolvConf } from '@/lib/dns/pod-resolv';
import { clusterNamespaces, type ClusterObjects } from '@/lib/dns/cluster-records';
import type { CoreDnsServerConfig, LegacyKubeDns } from '@/lib/model/coredns';

export type TraceNameserver = (ip: string, port: number, proto: 'udp' | 'tcp') => unknown;

export interface DnsExplainInput {
  /** The pod's /etc/resolv.conf text. When absent, `pod` is required and kubelet's file is derived. */
  resolvConf?: string;
  /** "namespace/name" of a pod in `objects.pods` whose resolv.conf kubelet would write (see pod-resolv.ts). */
  pod?: string;
  /** kubelet --cluster-dns / --cluster-domain when deriving the pod's resolv.conf (defaults: kube-dns Service IP, cluster.local). */
  kubelet?: { clusterDNS?: string[]; clusterDomain?: string; expandedDNSConfig?: boolean };
  name: string;
  flavor?: ResolverFlavor;
  family?: 'unspec' | 'inet' | 'inet6';
  objects?: ClusterObjects;
  /** Whether EndpointSlices were supplied (so "no ready kube-dns endpoint" can be concluded). */
  endpointSlicesKnown?: boolean;
  /** Corefile text, or a kube-dns ConfigMap/Deployment as JSON; default: kubeadm's Corefile. */
  corefile?: string;
  /** /etc/hosts-format text: what upstream DNS knows. */
  upstreamHosts?: string;
  /** The CoreDNS pod's resolv.conf (kubelet --resolv-conf on the node), for `forward . /etc/resolv.conf`. */
  nodeResolvConf?: string;
  traceNameserver?: TraceNameserver;
  /** The client pod's IP (what CoreDNS sees as source; used by `autopath @kubernetes`). */
  clientIp?: string;
}

function loadServers(text: string | undefined): {
  servers: CoreDnsServerConfig[];
  issues: ParseIssue[];
  legacy?: LegacyKubeDns;
} {
  const t = text ?? KUBEADM_DEFAULT_COREFILE;
  if (t.trimStart().startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(t);
    } catch (e) {
      return {
        servers: readCorefile(KUBEADM_DEFAULT_COREFILE).servers,
        issues: [
          {
            line: 0,
            raw: '',
            reason: `Corefile input looks like JSON but does not parse (${(e as Error).message}); using kubeadm's default Corefile`,
            severity: 'error',
          },
        ],
      };
    }
    const d = doc as { kind?: string; data?: Record<string, string> };
    if (d.kind === 'ConfigMap' && typeof d.data?.Corefile === 'string') return readCorefile(d.data.Corefile);
    const legacy = recognizeLegacyKubeDns(doc);
    if (legacy) return { servers: legacy.servers, issues: [], legacy };
    return {
      servers: readCorefile(KUBEADM_DEFAULT_COREFILE).servers,
      issues: [
        {
          line: 0,
          raw: '',
          reason:
            "JSON is neither a coredns ConfigMap nor a kube-dns ConfigMap/Deployment; using kubeadm's default Corefile",
          severity: 'error',
        },
      ],
    };
  }
  return readCorefile(t);
}

export function explainDnsLookup(input: DnsExplainInput): DnsExplanation {
  const flavor = input.flavor ?? 'glibc';
  const derived = input.resolvConf === undefined ? derivePodResolv(input) : undefined;
  const parsed = parseResolvConf(input.resolvConf ?? derived!.written.text);
  const config = readResolverConfig(parsed.value, flavor);
  const given: ClusterObjects = input.objects ?? { services: [], endpointSlices: [], pods: [] };
  const { servers, issues: corefileIssues, legacy } = loadServers(input.corefile);
  const upstream = parseHostsFile(input.upstreamHosts ?? '');
  const clusterDomain = (
    servers.flatMap((s) => s.kubernetes?.zones ?? []).find((z) => !z.endsWith('arpa.')) ?? 'cluster.local.'
  ).replace(/\.$/, '');
  // The pod's own namespace (first ClusterFirst search entry "<ns>.svc.<zone>") certainly exists.
  const own = config.search
    .map((s) => s.toLowerCase())
    .filter((s) => s.endsWith(`.svc.${clusterDomain}`))
    .map((s) => s.slice(0, s.indexOf('.')));
  const objects: ClusterObjects = { ...given, namespaces: [...new Set([...clusterNamespaces(given), ...own])] };

  const kubeDns = objects.services.find(
    (s) => s.namespace === 'kube-system' && (s.name === 'kube-dns' || s.labels?.['k8s-app'] === 'kube-dns'),
  );
  let kubeDnsIPs = kubeDns ? kubeDns.clusterIPs.filter((ip) => ip && ip !== 'None') : [];
  let assumed: string | undefined;
  if (!kubeDns && config.search.some((s) => s === `svc.${clusterDomain}`)) {
    // Without the Service list, a ClusterFirst-shaped search list means kubelet wrote the
    // cluster DNS as the nameserver(s).
    kubeDnsIPs = config.nameservers.filter((n) => n !== NODELOCAL_DNS_IP);
    assumed = `kube-system/kube-dns not given; assuming ${kubeDnsIPs.join(', ')} is the cluster DNS because the search list has the ClusterFirst shape`;
  }
  let coreDnsReady: boolean | undefined;
  if (kubeDns && input.endpointSlicesKnown) {
    coreDnsReady = objects.endpointSlices.some(
      (es) => es.namespace === 'kube-system' && es.service === kubeDns.name && es.endpoints.some((e) => e.ready),
    );
  }
  const nodeResolv =
    input.nodeResolvConf !== undefined
      ? readResolverConfig(parseResolvConf(input.nodeResolvConf).value, 'glibc')
      : undefined;
  const world: DnsWorld = {
    objects,
    servers,
    upstream: upstream.value,
    kubeDnsIPs,
    coreDnsReady,
    nodeResolv,
    clientIp: input.clientIp,
  };
  const answer = (ns: string, q: string, t: 'A' | 'AAAA') => answerAt(world, ns, q, t);
  const family = input.family ?? 'unspec';
  const lookup = simulateLookup(input.name, config, answer, family);
  const otherConfig = readResolverConfig(parsed.value, flavor === 'glibc' ? 'musl' : 'glibc');
  const otherFlavor = simulateLookup(input.name, otherConfig, answer, family);
  const findings = dnsFindings({ name: input.name, config, file: parsed.value, lookup, world, otherFlavor });
  if (assumed) findings.push({ id: 'cluster-dns-assumed', severity: 'info', message: assumed });
  if (legacy) findings.push({ id: 'legacy-kube-dns', severity: 'info', message: legacy.explanation.join(' ') });
  if (derived) findings.unshift(...derived.findings);

  const transport = describeTransport(config);
  if (
    flavor === 'glibc' &&
    family === 'unspec' &&
    !config.options.singleRequest &&
    !config.options.singleRequestReopen &&
    !config.options.useVc &&
    !config.options.noAaaa &&
    config.nameservers.some((n) => kubeDnsIPs.includes(n))
  ) {
    findings.push({
      id: 'conntrack-race',
      severity: 'info',
      message:
        "glibc sends A and AAAA at once from the same UDP socket to the kube-dns ClusterIP; through kube-proxy's DNAT one of the two can be lost in a conntrack insert race, and the lookup then stalls for timeout (5 s) before a retry.",
      fix: 'options single-request-reopen or use-vc via dnsConfig (glibc only), or NodeLocal DNSCache; check conntrack -S insert_failed.',
    });
  }
  const used = [...new Set(lookup.queries.map((q) => q.nameserver))];
  const proto: 'udp' | 'tcp' = flavor === 'glibc' && config.options.useVc ? 'tcp' : 'udp';
  const nameserverPaths: NameserverPath[] = used.map((ip) => ({
    ip,
    port: 53,
    proto,
    kind:
      ip === NODELOCAL_DNS_IP
        ? 'nodelocal-dnscache'
        : kubeDnsIPs.includes(ip)
          ? 'kube-dns-clusterip'
          : objects.pods.some((p) => p.podIPs.includes(ip))
            ? 'pod-ip'
            : 'other',
    trace: input.traceNameserver ? input.traceNameserver(ip, 53, proto) : undefined,
  }));
  return {
    name: input.name,
    flavor,
    family,
    config,
    steps: lookup.steps,
    queries: lookup.queries,
    addresses: lookup.addresses,
    status: lookup.status,
    findings,
    nameserverPaths,
    resolvIssues: parsed.issues,
    corefileIssues,
    upstreamIssues: upstream.issues,
    legacy,
    clusterDomain,
    transport,
  };
}

/** Thrown when the input cannot name a resolv.conf (no text, or an unknown pod). */
export class DnsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DnsInputError';
  }
}

function derivePodResolv(input: DnsExplainInput) {
  if (!input.pod) throw new DnsInputError('either a resolv.conf or a pod (namespace/name) is needed');
  const [ns, name] = input.pod.includes('/') ? input.pod.split('/', 2) : ['default', input.pod];
  const pod = input.objects?.pods.find((p) => p.namespace === ns && p.name === name);
  if (!pod) throw new DnsInputError(`pod ${ns}/${name} is not in the pods list`);
  return podResolvConf({
    pod,
    services: input.objects?.services ?? [],
    nodeResolvConf: input.nodeResolvConf,
    ...input.kubelet,
  });
}

function describeTransport(c: ReturnType<typeof readResolverConfig>): string {
  if (c.flavor === 'musl') {
    return `musl: A and AAAA sent together over UDP to all ${c.nameservers.length} nameserver(s) at once; first NOERROR/NXDOMAIN reply wins; resend every ${c.options.timeout / c.options.attempts}s within timeout:${c.options.timeout}s (TCP only after a truncated reply, musl ≥ 1.2.4)`;
  }
  const o = c.options;
  const how = o.useVc
    ? 'over TCP (use-vc)'
    : o.singleRequestReopen
      ? 'over UDP, A then AAAA one after the other, the second from a new socket (single-request-reopen)'
      : o.singleRequest
        ? 'over UDP, A then AAAA one after the other (single-request)'
        : 'over UDP, A and AAAA back-to-back from the same socket (same source port)';
  return `glibc: ${how}; nameservers in ${o.rotate ? 'rotating' : 'listed'} order, the next only on timeout/SERVFAIL/REFUSED; timeout:${o.timeout}s × attempts:${o.attempts}`;
}
