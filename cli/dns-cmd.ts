/**
 * `kubepath dns`: explain how a pod resolves a name — candidates, each query and who answered,
 * the final addresses and findings. `--json` prints the machine-readable form.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, required, UsageError } from '@/cli/args';
import { explainDnsLookup, DnsInputError } from '@/lib/dns/explain';
import { endpointSlicesFromJson, podsFromJson, servicesFromJson } from '@/lib/dns/k8s-json';
import type { ResolverFlavor, DnsExplanation } from '@/lib/model/dns';
import type { TraceResult } from '@/lib/model/trace';
import { parseIptablesSave } from '@/lib/parse/iptables';
import { tracePacket } from '@/lib/trace/trace-packet';

const USAGE = `usage: kubepath dns (--resolv-conf FILE | --pod NS/NAME) --name NAME [--resolver glibc|musl] [--services FILE]
       [--endpointslices FILE] [--pods FILE] [--corefile FILE] [--upstream-hosts FILE] [--json]
       [--family unspec|inet|inet6] [--node-resolv-conf FILE] [--iptables-save FILE [--client-ip IP]]
       [--cluster-dns IP] [--cluster-domain DOMAIN]

  --services/--endpointslices/--pods  "kubectl get ... -A -o json" output
  --corefile        Corefile text, or the coredns / kube-dns ConfigMap or kube-dns Deployment as JSON
                    (default: kubeadm's Corefile for cluster.local)
  --upstream-hosts  /etc/hosts-format file standing for what the upstream DNS knows
  --node-resolv-conf  the CoreDNS pod's resolv.conf (kubelet --resolv-conf), to check forward loops
  --iptables-save   the client node's iptables-save: each nameserver packet is traced through
                    kube-proxy's rules (from --client-ip, default 10.244.0.2)
  --client-ip       the client pod's IP (trace source; lets CoreDNS autopath find the pod)
  --pod NS/NAME     no captured resolv.conf: derive it as kubelet writes it for this pod (from --pods),
                    with --node-resolv-conf as kubelet's --resolv-conf and --cluster-dns (default: the
                    kube-dns Service IP) / --cluster-domain (default cluster.local)`;

function read(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `--${flag}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let result: DnsExplanation;
  let json = false;
  try {
    const args = parseArgs(argv, {
      values: [
        'resolv-conf',
        'name',
        'resolver',
        'services',
        'endpointslices',
        'pods',
        'corefile',
        'upstream-hosts',
        'family',
        'node-resolv-conf',
        'iptables-save',
        'client-ip',
        'pod',
        'cluster-dns',
        'cluster-domain',
      ],
      booleans: ['json'],
    });
    json = !!args.flags.json;
    const resolver = (args.values.resolver ?? 'glibc') as ResolverFlavor;
    if (resolver !== 'glibc' && resolver !== 'musl')
      throw new UsageError(`--resolver must be glibc or musl, not "${resolver}"`);
    const family = (args.values.family ?? 'unspec') as 'unspec' | 'inet' | 'inet6';
    if (!['unspec', 'inet', 'inet6'].includes(family)) throw new UsageError('--family must be unspec, inet or inet6');
    const opt = (flag: string) => (args.values[flag] ? read(args.values[flag]!, flag) : undefined);
    const services = opt('services');
    const slices = opt('endpointslices');
    const pods = opt('pods');
    const rules = opt('iptables-save');
    let traceNameserver: ((ip: string, port: number, proto: 'udp' | 'tcp') => TraceResult) | undefined;
    if (rules !== undefined) {
      const parsed = parseIptablesSave(rules);
      const src = args.values['client-ip'] ?? '10.244.0.2';
      traceNameserver = (ip, port, proto) => tracePacket({ iptables: parsed.value }, { src, dst: ip, port, proto });
    }
    if (!args.values['resolv-conf'] && !args.values.pod)
      throw new UsageError('--resolv-conf FILE (or --pod NS/NAME) is required');
    if (args.values.pod && !pods) throw new UsageError('--pod needs --pods FILE');
    result = explainDnsLookup({
      traceNameserver,
      clientIp: args.values['client-ip'],
      resolvConf: args.values['resolv-conf'] ? read(args.values['resolv-conf'], 'resolv-conf') : undefined,
      pod: args.values.pod,
      kubelet: { clusterDNS: args.values['cluster-dns']?.split(','), clusterDomain: args.values['cluster-domain'] },
      name: required(args, 'name'),
      flavor: resolver,
      family,
      objects: {
        services: services ? servicesFromJson(services, args.values.services) : [],
        endpointSlices: slices ? endpointSlicesFromJson(slices, args.values.endpointslices) : [],
        pods: pods ? podsFromJson(pods, args.values.pods) : [],
      },
      endpointSlicesKnown: slices !== undefined,
      corefile: opt('corefile'),
      upstreamHosts: opt('upstream-hosts'),
      nodeResolvConf: opt('node-resolv-conf'),
    });
  } catch (e) {
    if (e instanceof UsageError || e instanceof DnsInputError) {
      process.stderr.write(`kubepath dns: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  process.stdout.write(json ? `${JSON.stringify(toJson(result), null, 2)}\n` : renderText(result));
  return result.status === 'OK' ? 0 : 3;
}

export function toJson(r: DnsExplanation) {
  return {
    name: r.name,
    resolver: r.flavor,
    status: r.status,
    queries: r.queries.map((q) => ({
      name: q.name,
      type: q.type,
      rcode: q.rcode,
      answers: q.answers,
      via: q.via,
      nameserver: q.nameserver,
      candidate: q.candidate,
      detail: q.detail,
      ...(q.forwardedTo ? { forwardedTo: q.forwardedTo } : {}),
    })),
    addresses: r.addresses,
    findings: r.findings,
    transport: r.transport,
    steps: r.steps.map((s) => ({ candidate: s.candidate, outcome: s.outcome, decision: s.decision, why: s.why })),
    config: r.config,
    nameserverPaths: r.nameserverPaths,
    issues: { resolvConf: r.resolvIssues, corefile: r.corefileIssues, upstreamHosts: r.upstreamIssues },
  };
}

function renderText(r: DnsExplanation): string {
  const o: string[] = [];
  const c = r.config;
  o.push(
    `Lookup of "${r.name}" by ${r.flavor} getaddrinfo (${r.family === 'unspec' ? 'A+AAAA' : r.family === 'inet' ? 'A' : 'AAAA'})`,
  );
  o.push(
    `  resolv.conf as ${r.flavor} reads it: nameserver ${c.nameservers.join(', ')}; search ${c.search.join(' ') || '(none)'}; ndots:${c.options.ndots} timeout:${c.options.timeout} attempts:${c.options.attempts}`,
  );
  for (const i of [...r.resolvIssues, ...c.ignored])
    o.push(`  ! ${i.line ? `line ${i.line}: ` : ''}${i.reason}${i.raw ? `  | ${i.raw}` : ''}`);
  for (const i of r.corefileIssues) o.push(`  ! Corefile ${i.line ? `line ${i.line}: ` : ''}${i.reason}`);
  o.push(`  transport: ${r.transport}`);
  o.push('');
  r.steps.forEach((s, i) => {
    o.push(
      `${i + 1}. ${s.candidate.fqdn}  (${s.candidate.reason}${s.candidate.searchDomain ? ` ${s.candidate.searchDomain}` : ''})`,
    );
    for (const q of s.queries) {
      const ans = q.answers.map((a) => `${a.type} ${a.data}`).join(', ');
      o.push(`     ${q.type.padEnd(4)} @${q.nameserver} → ${q.rcode}${ans ? ` ${ans}` : ''}  [${q.via}] ${q.detail}`);
    }
    o.push(`     ⇒ ${s.outcome}: ${s.decision} — ${s.why}`);
  });
  o.push('');
  o.push(
    r.status === 'OK'
      ? `Result: ${r.addresses.join(', ')}  (${r.queries.length} queries)`
      : `Result: ${r.status}  (${r.queries.length} queries)`,
  );
  for (const p of r.nameserverPaths) {
    const t = p.trace as TraceResult | undefined;
    const via = t
      ? ` → ${t.outcomes.map((x) => `${x.verdict}${x.to ? ` ${x.to}` : ''} (${Math.round(x.probability * 100)}%)`).join(', ')}`
      : '';
    o.push(`Nameserver ${p.ip}:${p.port}/${p.proto}: ${p.kind}${via}`);
  }
  if (r.findings.length) {
    o.push('', 'Findings:');
    for (const f of r.findings) o.push(`  [${f.severity}] ${f.message}${f.fix ? `\n      fix: ${f.fix}` : ''}`);
  }
  return `${o.join('\n')}\n`;
}
