/**
 * What a parsed Corefile means for name resolution: per server block, the plugins that decide an
 * answer (rewrite → hosts → kubernetes → forward, in CoreDNS's compile-time plugin.cfg order,
 * not Corefile order) and the ones that only matter for findings (cache, autopath, loop).
 */
import { parseCorefile, type CorefileDirective } from '@/lib/parse/corefile';
import type { ParseIssue } from '@/lib/parse/parse-result';
import { parseHostsFile, normalizeName } from '@/lib/dns/hosts-file';
import type {
  KubernetesPluginConfig,
  ForwardConfig,
  RewriteNameRule,
  HostsPluginConfig,
  CoreDnsServerConfig,
} from '@/lib/model/coredns';

/** kubeadm's default Corefile for cluster.local (kubernetes repo, cmd/kubeadm/app/phases/addons/dns). */
export const KUBEADM_DEFAULT_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

const NO_ANSWER_EFFECT = new Set([
  'errors',
  'health',
  'ready',
  'prometheus',
  'reload',
  'loadbalance',
  'log',
  'bind',
  'debug',
  'pprof',
  'metadata',
  'trace',
  'nsid',
  'bufsize',
  'cancel',
  'timeouts',
  'dnstap',
  'tls',
  'import',
  'any',
  'minimal',
  'header',
]);

function fq(z: string): string {
  const l = z.toLowerCase();
  return l.endsWith('.') ? l : `${l}.`;
}

function issue(d: CorefileDirective, reason: string, severity: ParseIssue['severity'] = 'warning'): ParseIssue {
  return { line: d.line, raw: d.raw, reason, severity };
}

/** Parse and interpret a Corefile. Plugins that change answers but are not modelled are issues. */
export function readCorefile(text: string): { servers: CoreDnsServerConfig[]; issues: ParseIssue[] } {
  const parsed = parseCorefile(text);
  const issues: ParseIssue[] = [...parsed.issues];
  const servers: CoreDnsServerConfig[] = [];
  for (const block of parsed.value) {
    const zones = block.zones.map((z) => z.zone);
    const server: CoreDnsServerConfig = {
      zones,
      port: block.zones[0]?.port ?? 53,
      line: block.line,
      plugins: [],
      rewrite: [],
      loop: false,
    };
    for (const d of block.directives) {
      server.plugins.push(d.name);
      switch (d.name) {
        case 'kubernetes':
          server.kubernetes = readKubernetes(d, zones, issues);
          break;
        case 'forward':
          server.forward = readForward(d, issues);
          break;
        case 'hosts':
          server.hosts = readHosts(d, zones, issues);
          break;
        case 'rewrite':
          readRewrite(d, server.rewrite, issues);
          break;
        case 'cache': {
          const disabledFor = (d.block ?? [])
            .filter((x) => x.name === 'disable')
            .flatMap((x) => x.args.slice(1).map(fq));
          server.cache = { ttl: Number(d.args[0] ?? 3600), disabledFor, line: d.line };
          break;
        }
        case 'autopath':
          server.autopath = { target: d.args[0] ?? '', line: d.line };
          break;
        case 'loop':
          server.loop = true;
          break;
        default:
          if (!NO_ANSWER_EFFECT.has(d.name))
            issues.push(issue(d, `plugin "${d.name}" may change answers but is not modelled`));
      }
    }
    servers.push(server);
  }
  return { servers, issues };
}

function readFallthrough(args: string[]): string[] {
  return args.map(fq);
}

function readKubernetes(d: CorefileDirective, serverZones: string[], issues: ParseIssue[]): KubernetesPluginConfig {
  const cfg: KubernetesPluginConfig = {
    zones: d.args.length ? d.args.map(fq) : serverZones,
    pods: 'disabled',
    ttl: 5,
    endpointPodNames: false,
    ignoreEmptyService: false,
    line: d.line,
  };
  for (const o of d.block ?? []) {
    switch (o.name) {
      case 'pods':
        if (o.args[0] === 'insecure' || o.args[0] === 'verified' || o.args[0] === 'disabled') cfg.pods = o.args[0];
        else issues.push(issue(o, `unknown pods mode "${o.args[0]}"`, 'error'));
        break;
      case 'fallthrough':
        cfg.fallthrough = readFallthrough(o.args);
        break;
      case 'ttl': {
        const t = Number(o.args[0]);
        if (Number.isInteger(t) && t >= 0 && t <= 3600) cfg.ttl = t;
        else issues.push(issue(o, 'ttl must be 0..3600', 'error'));
        break;
      }
      case 'endpoint_pod_names':
        cfg.endpointPodNames = true;
        break;
      case 'ignore':
        if (o.args[0] === 'empty_service') cfg.ignoreEmptyService = true;
        break;
      case 'endpoint':
      case 'tls':
      case 'kubeconfig':
      case 'namespaces':
      case 'labels':
      case 'namespace_labels':
      case 'noendpoints':
      case 'startup_timeout':
      case 'apiserver_qps':
      case 'apiserver_burst':
      case 'apiserver_max_inflight':
        if (o.name === 'namespaces' || o.name === 'labels' || o.name === 'noendpoints')
          issues.push(issue(o, `kubernetes option "${o.name}" restricts answers and is not modelled`));
        break;
      default:
        issues.push(issue(o, `unknown kubernetes plugin option "${o.name}"`));
    }
  }
  return cfg;
}

function readForward(d: CorefileDirective, issues: ParseIssue[]): ForwardConfig {
  const [from, ...to] = d.args;
  const cfg: ForwardConfig = {
    from: fq(from ?? '.'),
    to,
    except: [],
    policy: 'random',
    forceTcp: false,
    line: d.line,
    raw: d.raw,
  };
  if (to.length === 0) issues.push(issue(d, 'forward without a target', 'error'));
  for (const o of d.block ?? []) {
    if (o.name === 'except') cfg.except.push(...o.args.map(fq));
    else if (o.name === 'policy') cfg.policy = o.args[0] ?? 'random';
    else if (o.name === 'force_tcp') cfg.forceTcp = true;
  }
  return cfg;
}

function readHosts(d: CorefileDirective, serverZones: string[], issues: ParseIssue[]): HostsPluginConfig {
  const [file, ...zoneArgs] = d.args;
  const inlineLines: string[] = [];
  let fallthrough: string[] | undefined;
  for (const o of d.block ?? []) {
    if (o.name === 'fallthrough') fallthrough = readFallthrough(o.args);
    else if (/^[0-9a-fA-F:.]+$/.test(o.name) && o.args.length) inlineLines.push([o.name, ...o.args].join(' '));
  }
  const inline = parseHostsFile(inlineLines.join('\n'));
  for (const i of inline.issues) issues.push({ ...i, line: d.line, raw: d.raw });
  if (file) issues.push(issue(d, `hosts file ${file} is not readable from here; only inline entries are modelled`));
  return {
    file,
    inline: inline.value,
    zones: zoneArgs.length ? zoneArgs.map(fq) : serverZones,
    fallthrough,
    line: d.line,
  };
}

function readRewrite(d: CorefileDirective, rules: RewriteNameRule[], issues: ParseIssue[]): void {
  let args = [...d.args];
  if (args[0] === 'continue' || args[0] === 'stop') args = args.slice(1);
  if (args[0] !== 'name') {
    issues.push(issue(d, `rewrite of "${args[0]}" is not modelled (only "rewrite name")`));
    return;
  }
  args = args.slice(1);
  let match: RewriteNameRule['match'] = 'exact';
  if (['exact', 'prefix', 'suffix', 'substring', 'regex'].includes(args[0]))
    match = args.shift() as RewriteNameRule['match'];
  if (args.length < 2) {
    issues.push(issue(d, 'rewrite name needs FROM and TO', 'error'));
    return;
  }
  rules.push({
    match,
    from: match === 'exact' ? normalizeName(args[0]) : args[0],
    to: args[1],
    line: d.line,
    raw: d.raw,
  });
}

/** Does `name` (FQDN) fall under `zone` (FQDN)? */
export function inZone(name: string, zone: string): boolean {
  return zone === '.' || name === zone || name.endsWith(`.${zone}`);
}

/** Apply the first matching `rewrite name` rule (CoreDNS default mode is stop). */
export function applyRewrite(name: string, rules: RewriteNameRule[]): { name: string; rule?: RewriteNameRule } {
  for (const r of rules) {
    let out: string | undefined;
    if (r.match === 'exact' && name === r.from) out = normalizeName(r.to);
    else if (r.match === 'prefix' && name.startsWith(r.from)) out = r.to + name.slice(r.from.length);
    else if (r.match === 'suffix' && name.endsWith(r.from)) out = name.slice(0, name.length - r.from.length) + r.to;
    else if (r.match === 'suffix' && name.endsWith(fq(r.from)))
      out = normalizeName(name.slice(0, name.length - fq(r.from).length) + fq(r.to));
    else if (r.match === 'substring' && name.includes(r.from)) out = name.replace(r.from, r.to);
    else if (r.match === 'regex') {
      const re = new RegExp(r.from);
      if (re.test(name)) out = name.replace(re, r.to.replace(/\{(\d+)\}/g, '$$$1'));
    }
    if (out !== undefined) return { name: normalizeName(out), rule: r };
  }
  return { name };
}
