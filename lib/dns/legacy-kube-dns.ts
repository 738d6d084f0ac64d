import type { CoreDnsServerConfig, LegacyKubeDns } from '@/lib/model/coredns';
/**
 * Legacy kube-dns (kubedns + dnsmasq + sidecar) recognised from its ConfigMap or Deployment, and
 * turned into the equivalent CoreDNS server blocks so the same answer model applies: kubedns
 * answers the cluster zone (pod A records for any IP, like `pods insecure`, TTL 30), dnsmasq
 * sends `stubDomains` to their servers and everything else to `upstreamNameservers` (or the
 * node's resolv.conf when unset).
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function parseJsonField<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string' || v.trim() === '') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

/** Returns undefined when the JSON is neither a kube-dns ConfigMap nor a kube-dns Deployment. */
export function recognizeLegacyKubeDns(doc: unknown): LegacyKubeDns | undefined {
  if (!doc || typeof doc !== 'object') return undefined;
  const o = doc as Obj;
  let source: LegacyKubeDns['source'];
  let stubDomains: Record<string, string[]> = {};
  let upstream: string[] = [];
  let clusterDomain = 'cluster.local';
  if (o.kind === 'ConfigMap' && o.metadata?.name === 'kube-dns') {
    source = 'ConfigMap';
    stubDomains = parseJsonField(o.data?.stubDomains, {});
    upstream = parseJsonField(o.data?.upstreamNameservers, []);
  } else if (
    o.kind === 'Deployment' &&
    (o.spec?.template?.spec?.containers ?? []).some((c: Obj) => c.name === 'kubedns')
  ) {
    source = 'Deployment';
    const containers: Obj[] = o.spec.template.spec.containers;
    const kubedns = containers.find((c) => c.name === 'kubedns');
    const domainArg = (kubedns?.args ?? []).find((a: string) => a.startsWith('--domain='));
    if (domainArg) clusterDomain = domainArg.slice('--domain='.length).replace(/\.$/, '');
    const dnsmasq = containers.find((c) => c.name === 'dnsmasq');
    for (const a of dnsmasq?.args ?? []) {
      // --server=/consul.local/10.150.0.1 → stub domain; --server=/cluster.local/127.0.0.1#10053 → kubedns itself
      const m = /^--server=\/([^/]+)\/([^#]+)/.exec(a);
      if (m && !m[2].startsWith('127.0.0.1')) (stubDomains[m[1]] ??= []).push(m[2]);
    }
  } else return undefined;
  upstream = upstream.slice(0, 3);
  const base = { port: 53, plugins: [] as string[], rewrite: [], loop: false };
  const servers: CoreDnsServerConfig[] = [
    {
      ...base,
      zones: ['.'],
      line: 0,
      plugins: ['kubernetes', 'forward'],
      kubernetes: {
        zones: [`${clusterDomain}.`],
        pods: 'insecure',
        ttl: 30,
        endpointPodNames: false,
        ignoreEmptyService: false,
        line: 0,
      },
      forward: {
        from: '.',
        to: upstream.length ? upstream : ['/etc/resolv.conf'],
        except: [],
        policy: 'random',
        forceTcp: false,
        line: 0,
        raw: 'upstreamNameservers',
      },
    },
    ...Object.entries(stubDomains).map(([zone, ips]): CoreDnsServerConfig => ({
      ...base,
      zones: [`${zone.toLowerCase().replace(/\.$/, '')}.`],
      line: 0,
      plugins: ['forward'],
      forward: {
        from: '.',
        to: ips,
        except: [],
        policy: 'random',
        forceTcp: false,
        line: 0,
        raw: `stubDomains ${zone}`,
      },
    })),
  ];
  const explanation = [
    `Legacy kube-dns recognised from its ${source}: dnsmasq (:53, cache, --no-negcache) in front of kubedns (:10053) which answers ${clusterDomain}.`,
    ...Object.entries(stubDomains).map(
      ([z, ips]) =>
        `stub domain ${z} → ${ips.join(', ')} (CoreDNS equivalent: "${z}:53 { forward . ${ips.join(' ')} }")`,
    ),
    upstream.length
      ? `upstreamNameservers ${upstream.join(', ')} replace the node's resolv.conf for everything else (CoreDNS: "forward . ${upstream.join(' ')}")`
      : 'no upstreamNameservers: other names go to the node\'s resolv.conf nameservers (CoreDNS: "forward . /etc/resolv.conf")',
    'Stub domains and upstreams do not apply to pods with dnsPolicy Default or None.',
  ];
  return { source, clusterDomain, stubDomains, upstreamNameservers: upstream, servers, explanation };
}
