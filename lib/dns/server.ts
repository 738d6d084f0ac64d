/**
 * What the DNS server behind a nameserver IP answers: CoreDNS (server block by longest zone
 * suffix, then rewrite → hosts → kubernetes → forward) for the kube-dns ClusterIP or NodeLocal
 * DNSCache, and the "upstream" (an /etc/hosts-format table) for anything else.
 */
import type { DnsAnswer, DnsRecord, ResolverConfig } from '@/lib/model/dns';
import type { ClusterObjects, QType } from '@/lib/dns/cluster-records';
import { kubernetesAnswer } from '@/lib/dns/cluster-records';
import { applyRewrite, inZone } from '@/lib/dns/coredns-config';
import { normalizeName } from '@/lib/dns/hosts-file';
import type { CoreDnsServerConfig, HostsTable } from '@/lib/model/coredns';

/** Link-local address NodeLocal DNSCache listens on in the Kubernetes docs. */
export const NODELOCAL_DNS_IP = '169.254.20.10';

export interface DnsWorld {
  objects: ClusterObjects;
  servers: CoreDnsServerConfig[];
  /** What upstream DNS knows (answers forwarded queries). */
  upstream: HostsTable;
  /** ClusterIPs of kube-system/kube-dns. */
  kubeDnsIPs: string[];
  /** false when the kube-dns Service has no ready endpoint (queries get no answer). */
  coreDnsReady?: boolean;
  /** The CoreDNS pod's resolv.conf (= kubelet's resolvConf on the node), target of `forward . /etc/resolv.conf`. */
  nodeResolv?: ResolverConfig;
  /** Source IP CoreDNS sees (the client pod's IP), needed by `autopath @kubernetes`. */
  clientIp?: string;
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

/** Upstream IPs a `forward` resolves to, with /etc/resolv.conf expanded from the CoreDNS pod's file. */
export function forwardTargets(world: DnsWorld, to: string[]): string[] {
  return to.flatMap((t) =>
    t.startsWith('/') ? (world.nodeResolv?.nameservers ?? [t]) : [t.replace(/^dns:\/\//, '').replace(/:53$/, '')],
  );
}

/** A forward target that leads back into CoreDNS: loopback in its own netns, or the kube-dns VIP. */
export function loopingTargets(world: DnsWorld, to: string[]): string[] {
  return forwardTargets(world, to).filter((ip) => isLoopback(ip) || world.kubeDnsIPs.includes(ip));
}

export function upstreamAnswer(upstream: HostsTable, qname: string, qtype: QType): Omit<DnsAnswer, 'via'> {
  const entry = upstream.get(qname);
  if (!entry) return { rcode: 'NXDOMAIN', answers: [], detail: `upstream does not know ${qname}` };
  const ips = qtype === 'A' ? entry.v4 : qtype === 'AAAA' ? entry.v6 : [];
  if (ips.length === 0) return { rcode: 'NODATA', answers: [], detail: `upstream knows ${qname} but has no ${qtype}` };
  return {
    rcode: 'NOERROR',
    answers: ips.map((ip): DnsRecord => ({ name: qname, type: qtype, ttl: 0, data: ip })),
    detail: `upstream (hosts line ${entry.line})`,
  };
}

function pickServer(
  servers: CoreDnsServerConfig[],
  qname: string,
): { server: CoreDnsServerConfig; zone: string } | undefined {
  let best: { server: CoreDnsServerConfig; zone: string } | undefined;
  for (const server of servers) {
    if (server.port !== 53) continue;
    for (const zone of server.zones) {
      if (inZone(qname, zone) && (!best || zone.length > best.zone.length)) best = { server, zone };
    }
  }
  return best;
}

/** CoreDNS's answer for one query. `depth` guards CNAME chasing. */
export function coreDnsAnswer(world: DnsWorld, qnameIn: string, qtype: QType, depth = 0): DnsAnswer {
  const picked = pickServer(world.servers, normalizeName(qnameIn));
  if (!picked)
    return { rcode: 'REFUSED', answers: [], via: 'none', detail: 'no CoreDNS server block serves this zone' };
  const { server } = picked;
  const rw = applyRewrite(normalizeName(qnameIn), server.rewrite);
  const qname = rw.name;
  const rewrittenTo = rw.rule ? qname : undefined;
  const withRw = (a: DnsAnswer): DnsAnswer =>
    rewrittenTo
      ? { ...a, rewrittenTo, detail: `rewritten to ${qname} (Corefile line ${rw.rule!.line}); ${a.detail}` }
      : a;

  if (depth === 0) {
    const ap = autopath(world, server, qname, qtype);
    if (ap) return withRw(ap);
  }

  if (server.hosts && server.hosts.zones.some((z) => inZone(qname, z))) {
    const a = upstreamAnswer(server.hosts.inline, qname, qtype);
    const falls =
      server.hosts.fallthrough &&
      (server.hosts.fallthrough.length === 0 || server.hosts.fallthrough.some((z) => inZone(qname, z)));
    if (a.rcode !== 'NXDOMAIN' || !falls)
      return withRw({ ...a, via: 'hosts', detail: `hosts plugin (Corefile line ${server.hosts.line}): ${a.detail}` });
  }

  const k = server.kubernetes;
  const kZone = k?.zones.filter((z) => inZone(qname, z)).sort((a, b) => b.length - a.length)[0];
  if (k && kZone) {
    const isReverse = kZone.endsWith('in-addr.arpa.') || kZone.endsWith('ip6.arpa.');
    const a = isReverse
      ? { rcode: 'NXDOMAIN' as const, answers: [], detail: 'reverse lookups are not modelled' }
      : kubernetesAnswer(qname, qtype, kZone, world.objects, k);
    const falls = k.fallthrough && (k.fallthrough.length === 0 || k.fallthrough.some((z) => inZone(qname, z)));
    if (!(a.rcode === 'NXDOMAIN' && falls)) {
      let answers = a.answers;
      if (a.chase && depth < 8 && (qtype === 'A' || qtype === 'AAAA')) {
        // CoreDNS chases an ExternalName CNAME itself: in-zone internally, else through its own chain.
        const t = coreDnsAnswer(world, a.chase, qtype, depth + 1);
        answers = [...answers, ...t.answers];
        return withRw({
          rcode: a.rcode,
          answers,
          via: 'kubernetes',
          detail: `${a.detail}; CoreDNS chased ${a.chase} itself → ${t.rcode} [${t.via}] ${t.detail}`,
        });
      }
      return withRw({ rcode: a.rcode, answers, via: 'kubernetes', detail: a.detail });
    }
  }

  const f = server.forward;
  if (f && inZone(qname, f.from) && !f.except.some((z) => inZone(qname, z))) {
    const targets = forwardTargets(world, f.to);
    const via = picked.zone === '.' ? 'forward' : 'stub-domain';
    if (loopingTargets(world, f.to).length > 0) {
      return withRw({
        rcode: server.loop ? 'NO_RESPONSE' : 'SERVFAIL',
        answers: [],
        via,
        forwardedTo: targets,
        detail: server.loop
          ? `forward (line ${f.line}) points back at CoreDNS (${loopingTargets(world, f.to).join(', ')}): the loop plugin makes CoreDNS exit, so nothing answers`
          : `forward (line ${f.line}) points back at CoreDNS: the query loops until it times out (SERVFAIL)`,
      });
    }
    const a = upstreamAnswer(world.upstream, qname, qtype);
    return withRw({
      ...a,
      via,
      forwardedTo: targets,
      detail: `forwarded to ${targets.join(', ')} (Corefile line ${f.line}): ${a.detail}`,
    });
  }
  return withRw({
    rcode: 'SERVFAIL',
    answers: [],
    via: 'none',
    detail: 'no plugin in the server block handled the query',
  });
}

/**
 * `autopath @kubernetes`: when the query is the client's first search candidate
 * ("<base>.<ns>.svc.<zone>") and CoreDNS knows the client pod by its source IP (needs
 * `pods verified`), CoreDNS walks the search path itself and answers the first non-NXDOMAIN
 * result, with a CNAME from the asked name. Otherwise (or if everything is NXDOMAIN) no effect.
 */
function autopath(world: DnsWorld, server: CoreDnsServerConfig, qname: string, qtype: QType): DnsAnswer | undefined {
  const k = server.kubernetes;
  if (!server.autopath || server.autopath.target !== '@kubernetes' || !k || k.pods !== 'verified' || !world.clientIp)
    return undefined;
  const pod = world.objects.pods.find((p) => p.podIPs.includes(world.clientIp!));
  const zone = k.zones.find((z) => !z.endsWith('arpa.'));
  if (!pod || !zone) return undefined;
  const first = `${pod.namespace.toLowerCase()}.svc.${zone}`;
  if (!qname.endsWith(`.${first}`)) return undefined;
  const base = qname.slice(0, qname.length - first.length - 1);
  const path = [first, `svc.${zone}`, zone, ...(world.nodeResolv?.search ?? []).map((d) => normalizeName(d)), '.'];
  for (const s of path) {
    const name = s === '.' ? `${base}.` : `${base}.${s}`;
    const a = coreDnsAnswer(world, name, qtype, 1);
    if (a.rcode === 'NXDOMAIN') continue;
    const cname: DnsRecord[] =
      name !== qname && a.answers.length ? [{ name: qname, type: 'CNAME', ttl: 0, data: name }] : [];
    return {
      ...a,
      answers: [...cname, ...a.answers],
      via: 'autopath',
      detail: `autopath (line ${server.autopath.line}) for pod ${pod.namespace}/${pod.name}: CoreDNS walked the search path itself and answered from ${name} [${a.via}] ${a.detail}`,
    };
  }
  return undefined; // all NXDOMAIN: CoreDNS returns the first reply; the client walks its own list
}

/** Answer a query sent to `nameserver`. */
export function answerAt(world: DnsWorld, nameserver: string, qname: string, qtype: QType): DnsAnswer {
  const name = normalizeName(qname);
  const cluster = world.kubeDnsIPs.includes(nameserver) || nameserver === NODELOCAL_DNS_IP;
  if (!cluster) {
    const a = upstreamAnswer(world.upstream, name, qtype);
    return { ...a, via: 'not-cluster-dns', detail: `${nameserver} is not the cluster DNS; ${a.detail}` };
  }
  const looping = world.servers.find((sv) => sv.loop && sv.forward && loopingTargets(world, sv.forward.to).length > 0);
  if (looping) {
    // The loop plugin's startup probe comes back to CoreDNS itself: it exits, the pods crash-loop.
    return {
      rcode: 'NO_RESPONSE',
      answers: [],
      via: 'unreachable',
      detail: `CoreDNS is crash-looping: the loop plugin found a forwarding loop (forward on Corefile line ${looping.forward!.line})`,
    };
  }
  if (world.kubeDnsIPs.includes(nameserver) && world.coreDnsReady === false) {
    return {
      rcode: 'NO_RESPONSE',
      answers: [],
      via: 'unreachable',
      detail: 'kube-dns has no ready endpoints: kube-proxy rejects the packet (ICMP port unreachable)',
    };
  }
  // Through NodeLocal DNSCache, CoreDNS sees the cache's address, not the pod's (autopath cannot work).
  return coreDnsAnswer(nameserver === NODELOCAL_DNS_IP ? { ...world, clientIp: undefined } : world, name, qtype);
}
