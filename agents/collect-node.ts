/**
 * The collector: runs the allowlist through a CommandRunner (SSH or local) and assembles one
 * NodeCapture. The same code runs on the operator's machine over SSH and inside the pod agent.
 * Command failures become warnings; only a failure of the node's primary rules capture
 * (iptables-save) fails the node, because a trace without it would be silently wrong.
 */
import type { CaptureKind, NodeCapture, RawCapture } from '@/lib/model/snapshot';
import { cniListCommand, cniReadCommand, KUBE_PROXY_CMDLINE, NODE_COMMANDS, withSudo, type Argv } from './commands';
import { collectPods } from './collect-pods';
import { inferProxyMode } from '../lib/parse/proxy-mode';
import { DEFAULT_LIMITS, type CommandRunner, type RunLimits } from './runner';

export interface CollectNodeOptions {
  /** Name to record when the hostname capture fails. */
  fallbackName: string;
  sudo?: boolean;
  /** CNI config directory on the node (default /etc/cni/net.d). */
  cniDir?: string;
  /** In the pod agent the host's files are reached through PID 1's root (hostPID). */
  hostFiles?: 'direct' | 'via-proc1-root';
  limits?: Partial<RunLimits>;
  /** conntrack tables can be huge; they are capped lower and truncation there is not a failure. */
  conntrackMaxBytes?: number;
  /** Pod netns to inspect at most (addresses are read 64 per command; resolv.conf one each). */
  maxPods?: number;
  /** Pod IPs from the API: when given, only netns holding one of them are kept. */
  podIps?: string[];
  /** Pod IPs by API node name; used instead of `podIps` once the node's hostname is known. */
  podIpsByNode?: Record<string, string[]>;
  onCommand?: (kind: string, capture: RawCapture) => void;
}

const IPVS_UNAVAILABLE = /Can't initialize ipvs|Protocol not available|IP Virtual Server is built/;
const OPTIONAL_MISSING: CaptureKind[] = [
  'ipvsadm',
  'ipvsadm-stats',
  'ipset',
  'nft',
  'conntrack',
  'iptables-legacy-save',
  'ip6tables-legacy-save',
  'ip6tables-save',
];

function hostPath(path: string, mode: CollectNodeOptions['hostFiles']): string {
  return mode === 'via-proc1-root' ? `/proc/1/root${path}` : path;
}

export async function collectNode(runner: CommandRunner, opts: CollectNodeOptions): Promise<NodeCapture> {
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const warnings: string[] = [];
  const captures: NodeCapture['captures'] = {};
  const node: NodeCapture = {
    name: opts.fallbackName,
    via: runner.via,
    capturedAt: new Date().toISOString(),
    captures,
    warnings,
  };
  const run = async (kind: string, argv: Argv, lim: RunLimits = limits) => {
    const c = await runner.run(withSudo(argv, !!opts.sudo), lim);
    if (kind.startsWith('ipvsadm') && c.exitCode !== 0 && IPVS_UNAVAILABLE.test(c.stderr)) {
      // Not a node failure: this kernel simply has no ip_vs (kube-proxy cannot be in IPVS mode here).
      c.error = 'IPVS not available';
    }
    opts.onCommand?.(kind, c);
    return c;
  };

  for (const [kind, baseArgv] of Object.entries(NODE_COMMANDS) as [CaptureKind, Argv][]) {
    let argv = baseArgv;
    if (kind === 'resolv.conf') argv = ['cat', hostPath('/etc/resolv.conf', opts.hostFiles)];
    const lim = kind === 'conntrack' ? { ...limits, maxBytes: opts.conntrackMaxBytes ?? 4 * 1024 * 1024 } : limits;
    const c = await run(kind, argv, lim);
    if (
      (kind === 'iptables-legacy-save' || kind === 'ip6tables-legacy-save') &&
      !c.error &&
      !/^(\[\d+:\d+\] )?-A /m.test(c.stdout)
    ) {
      continue; // legacy tables empty: nothing to record, no trap
    }
    captures[kind] = c;
    if (kind === 'iptables-legacy-save' || kind === 'ip6tables-legacy-save') {
      if (!c.error)
        warnings.push(
          `mixed iptables backends: ${kind} holds rules; the kernel runs BOTH rule sets (legacy and nf_tables)`,
        );
    }
    if (c.error && c.error !== 'IPVS not available') {
      const optional = OPTIONAL_MISSING.includes(kind) && c.error.startsWith('missing binary');
      const note =
        kind === 'conntrack' && c.truncated
          ? ' (conntrack table capped; listing is partial)'
          : optional
            ? ' (optional)'
            : '';
      warnings.push(`${kind}: ${c.error}${note}`);
    }
  }

  const host = captures.hostname;
  if (host && !host.error && host.stdout.trim()) node.name = host.stdout.trim();

  await collectCni(run, opts, node, limits);
  const kp = await run('kube-proxy-mode', KUBE_PROXY_CMDLINE);
  captures['kube-proxy-mode'] = kp;
  node.proxyMode = inferProxyMode(kp.stdout, captures);

  const podIps = opts.podIpsByNode?.[node.name] ?? opts.podIps;
  node.pods = await collectPods(run, {
    maxPods: opts.maxPods ?? 512,
    podIps,
    hostIpAddr: captures['ip-addr']?.stdout,
    warnings,
  });

  const primary = captures['iptables-save'];
  if (primary?.error) {
    const kind = primary.truncated
      ? 'output-too-large'
      : primary.error.startsWith('timeout')
        ? 'timeout'
        : primary.error.startsWith('missing binary')
          ? 'missing-binary'
          : 'command';
    node.error = { kind, message: `iptables-save: ${primary.error}` };
  }
  if (!warnings.length) delete node.warnings;
  return node;
}

async function collectCni(
  run: (kind: string, argv: Argv, lim?: RunLimits) => Promise<RawCapture>,
  opts: CollectNodeOptions,
  node: NodeCapture,
  limits: RunLimits,
): Promise<void> {
  const dir = hostPath(opts.cniDir ?? '/etc/cni/net.d', opts.hostFiles);
  const list = await run('cni', cniListCommand(dir));
  node.captures.cni = list;
  if (list.error) {
    node.warnings!.push(`cni: ${list.error}`);
    return;
  }
  const names = list.stdout.split('\n').filter(Boolean).slice(0, 32);
  node.cniFiles = {};
  for (const name of names) {
    try {
      node.cniFiles[`${dir}/${name}`] = await run('cni', cniReadCommand(dir, name), {
        ...limits,
        maxBytes: 1024 * 1024,
      });
    } catch (err) {
      node.warnings!.push(`cni: skipped ${JSON.stringify(name)}: ${(err as Error).message}`);
    }
  }
}
