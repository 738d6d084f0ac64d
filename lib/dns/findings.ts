/**
 * Findings for one lookup: cost (ndots amplification), nameservers that are not the cluster DNS,
 * forwarding loops, CoreDNS without ready endpoints, search-list limits, glibc/musl traps.
 */
import type { DnsFinding, ResolverConfig } from '@/lib/model/dns';
import type { SimulatedLookup } from '@/lib/dns/lookup';
import { countDots } from '@/lib/dns/candidates';
import { MUSL_MAX_LINE } from '@/lib/dns/resolver-config';
import { loopingTargets, NODELOCAL_DNS_IP, type DnsWorld } from '@/lib/dns/server';
import type { ResolvConfFile } from '@/lib/model/dns';

export interface FindingInput {
  name: string;
  config: ResolverConfig;
  file: ResolvConfFile;
  lookup: SimulatedLookup;
  world: DnsWorld;
  /** The same lookup done by the other flavour, for musl/glibc trap findings. */
  otherFlavor?: SimulatedLookup;
}

export function dnsFindings(i: FindingInput): DnsFinding[] {
  const out: DnsFinding[] = [];
  const { config, lookup, world, name } = i;
  const sentNames = new Set(lookup.queries.map((q) => q.name));
  if (sentNames.size > 1) {
    const wasted = lookup.steps.filter((s) => s.decision !== 'success').length;
    const forwarded = lookup.queries.filter((q) => q.via === 'forward' || q.via === 'not-cluster-dns').length;
    out.push({
      id: 'ndots-amplification',
      severity: wasted >= 3 ? 'warning' : 'info',
      message: `One lookup of "${name}" cost ${lookup.queries.length} DNS queries over ${sentNames.size} names (${countDots(name)} dot(s) < ndots:${config.options.ndots} → search list first); ${lookup.status === 'OK' ? `${wasted} name(s) failed before the answer` : `all ${lookup.steps.length} name(s) failed`}, ${forwarded} queries were forwarded upstream.`,
      fix: `Use a trailing dot ("${name.endsWith('.') ? name : `${name}.`}") or the full service name, or lower ndots via the pod's dnsConfig (options: [{name: ndots, value: "2"}]).`,
    });
  }
  for (const ns of config.nameservers) {
    if (ns === NODELOCAL_DNS_IP) {
      out.push({
        id: 'nodelocal-dnscache',
        severity: 'info',
        message: `${ns} is NodeLocal DNSCache: the query goes to the node-local cache (NOTRACK, no kube-proxy DNAT); it forwards cluster names to CoreDNS over TCP via kube-dns-upstream and other names directly to the node's upstream resolvers. CoreDNS sees the cache's address, so autopath cannot work.`,
      });
    } else if (world.kubeDnsIPs.length > 0 && !world.kubeDnsIPs.includes(ns)) {
      out.push({
        id: 'nameserver-not-cluster-dns',
        severity: 'warning',
        message: `nameserver ${ns} is not the cluster DNS (kube-dns ${world.kubeDnsIPs.join(', ')}): cluster names asked there are NXDOMAIN${config.flavor === 'musl' ? '; musl asks all nameservers in parallel and takes the first answer, so this can break cluster names at random' : ''}.`,
        fix: 'Use dnsPolicy ClusterFirst (or list the kube-dns IP first in dnsConfig.nameservers).',
      });
    }
  }
  if (config.flavor === 'musl' && config.nameservers.length > 1) {
    out.push({
      id: 'musl-parallel-nameservers',
      severity: 'info',
      message: `musl sends every query to all ${config.nameservers.length} nameservers at once; the first NOERROR/NXDOMAIN reply wins. The model shows the first listed server's answer.`,
    });
  }
  for (const s of world.servers) {
    if (s.forward && loopingTargets(world, s.forward.to).length > 0) {
      out.push({
        id: 'forward-loop',
        severity: 'error',
        message: `CoreDNS server block ${s.zones.join(' ')} forwards to ${loopingTargets(world, s.forward.to).join(', ')}, which is CoreDNS itself (a loopback address inside the CoreDNS pod${s.forward.to.some((t) => t.startsWith('/')) ? ', taken from the node resolv.conf' : ''}): ${s.loop ? 'the loop plugin detects it and CoreDNS exits (CrashLoopBackOff)' : 'queries loop until they time out'}.`,
        fix: 'Point kubelet --resolv-conf at the real upstream file (/run/systemd/resolve/resolv.conf with systemd-resolved) or forward to explicit upstream IPs.',
      });
    }
    if (s.autopath) {
      const used = lookup.queries.some((q) => q.via === 'autopath');
      const why =
        s.autopath.target !== '@kubernetes'
          ? `only "autopath @kubernetes" is modelled`
          : s.kubernetes?.pods !== 'verified'
            ? 'it needs "pods verified" in the kubernetes plugin, so CoreDNS does not apply it'
            : !world.clientIp
              ? 'the client pod IP is not known here (give --client-ip), so it was not applied'
              : config.nameservers.includes(NODELOCAL_DNS_IP)
                ? 'queries arrive from NodeLocal DNSCache, so CoreDNS cannot find the client pod'
                : 'it only acts on the first search candidate of a known pod';
      out.push({
        id: 'autopath',
        severity: 'info',
        message: used
          ? `autopath ${s.autopath.target} (line ${s.autopath.line}) answered the first candidate server-side: the client sent ${lookup.queries.length} queries instead of walking its search list (breaks with SNAT, NodeLocal DNSCache, hostNetwork clients, or replicas that disagree).`
          : `autopath ${s.autopath.target} (line ${s.autopath.line}) is configured but did not apply: ${why}.`,
      });
    }
  }
  if (world.coreDnsReady === false) {
    out.push({
      id: 'no-ready-coredns',
      severity: 'error',
      message:
        'The kube-dns Service has no ready endpoints: kube-proxy rejects DNS packets to the ClusterIP, every lookup fails (EAI_AGAIN).',
      fix: 'Check the CoreDNS pods (kubectl -n kube-system get pods -l k8s-app=kube-dns) and their logs.',
    });
  }
  const searchChars = config.search.join(' ').length;
  if (config.search.length > 32 || searchChars > 2048) {
    out.push({
      id: 'search-list-limits',
      severity: 'warning',
      message: `search list has ${config.search.length} domains / ${searchChars} characters: above kubelet's limits (32 / 2048), kubelet would truncate it and emit DNSConfigForming.`,
    });
  } else if (config.search.length > 6 || searchChars > 256) {
    out.push({
      id: 'search-list-limits',
      severity: 'info',
      message: `search list has ${config.search.length} domains / ${searchChars} characters: above the legacy limits (6 / 256) of kubelet without ExpandedDNSConfig and glibc < 2.26.`,
    });
  }
  for (const l of i.file.directives) {
    if (l.raw.length > MUSL_MAX_LINE && (l.keyword === 'search' || l.keyword === 'domain' || l.keyword === 'options')) {
      out.push({
        id: 'musl-long-line',
        severity: config.flavor === 'musl' ? 'error' : 'warning',
        message: `line ${l.line} (${l.keyword}) is ${l.raw.length} characters: musl (Alpine) ignores the whole line${l.keyword === 'options' ? '' : ', so the pod gets no search list at all'}.`,
      });
    }
  }
  if (config.flavor === 'musl') {
    const ignoredOpts = config.ignored.filter((x) => x.reason.includes('ignored by musl'));
    if (ignoredOpts.length)
      out.push({
        id: 'musl-ignored-option',
        severity: 'warning',
        message: `musl ignores ${ignoredOpts.map((x) => x.reason.match(/"([^"]+)"/)?.[1]).join(', ')}: workarounds like single-request-reopen or use-vc have no effect on Alpine images.`,
      });
    if (config.search.includes('.')) {
      out.push({
        id: 'musl-search-dot',
        severity: 'error',
        message:
          'The search list contains "." (systemd-resolved style, or kubelet --resolv-conf=""): musl turns it into a name with an empty label that nothing answers, so a lookup that reaches it fails with EAI_AGAIN after the timeout.',
        fix: 'Remove "." from the search list (point kubelet at /run/systemd/resolve/resolv.conf) or use dnsPolicy ClusterFirst.',
      });
    }
    const last = lookup.steps[lookup.steps.length - 1];
    if (last && last.candidate.reason === 'as-is-first' && lookup.status !== 'OK' && config.search.length) {
      out.push({
        id: 'musl-no-search',
        severity: 'warning',
        message: `"${name}" has ${countDots(name)} dot(s) ≥ ndots:${config.options.ndots}, so musl queried only the name as-is and never tried the search list.`,
      });
    }
    if (last && (last.outcome === 'nodata' || last.outcome === 'cname-only') && lookup.steps.length > 0) {
      out.push({
        id: 'musl-stops-on-nodata',
        severity: 'warning',
        message: `musl stopped at ${last.candidate.fqdn} (NOERROR without addresses); glibc would go on to the next search domain.`,
      });
    }
  }
  if (i.otherFlavor) {
    const a = [...lookup.addresses].sort().join(',');
    const b = [...i.otherFlavor.addresses].sort().join(',');
    if (a !== b || lookup.status !== i.otherFlavor.status) {
      const other = config.flavor === 'musl' ? 'glibc' : 'musl';
      out.push({
        id: 'resolver-flavors-differ',
        severity: 'warning',
        message: `${other} would resolve "${name}" differently: ${i.otherFlavor.status === 'OK' ? i.otherFlavor.addresses.join(', ') : i.otherFlavor.status} (here: ${lookup.status === 'OK' ? lookup.addresses.join(', ') : lookup.status}).`,
      });
    }
  }
  for (const svc of world.objects.services) {
    if (svc.type === 'ExternalName' && svc.externalName && /^[\d.]+$|:/.test(svc.externalName)) {
      out.push({
        id: 'externalname-ip',
        severity: 'warning',
        message: `Service ${svc.namespace}/${svc.name} is ExternalName "${svc.externalName}", an IP literal: CoreDNS returns no record (NXDOMAIN).`,
        fix: 'Use a ClusterIP Service without selector plus an EndpointSlice for an IP target.',
      });
    }
  }
  if (config.ignored.length) {
    out.push({
      id: 'resolv-conf-ignored',
      severity: 'info',
      message: `${config.flavor} ignores or changes ${config.ignored.length} part(s) of resolv.conf: ${config.ignored.map((x) => (x.line ? `line ${x.line}: ` : '') + x.reason).join('; ')}`,
    });
  }
  return out;
}
