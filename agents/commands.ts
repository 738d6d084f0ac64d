/**
 * The FIXED allowlist of read-only commands an agent may run on a node. Nothing the user types ever
 * reaches a command line: node-wide commands are constants, and the only variable parts (pod PIDs
 * discovered on the node, CNI file names listed on the node, the operator's CNI directory) are
 * validated against strict patterns and then shell-quoted anyway.
 */
import type { CaptureKind } from '@/lib/model/snapshot';

export type Argv = readonly string[];

/** Node-wide captures, in collection order. `cni`, `kube-proxy-mode` and pod captures are built below. */
export const NODE_COMMANDS: Readonly<Partial<Record<CaptureKind, Argv>>> = {
  hostname: ['cat', '/proc/sys/kernel/hostname'],
  'iptables-save': ['iptables-save', '-c'],
  'ip6tables-save': ['ip6tables-save', '-c'],
  // The legacy backend is a separate kernel table set: rules there run IN ADDITION to the nft ones.
  'iptables-legacy-save': ['iptables-legacy-save', '-c'],
  'ip6tables-legacy-save': ['ip6tables-legacy-save', '-c'],
  ipvsadm: ['ipvsadm', '-Ln'],
  'ipvsadm-stats': ['ipvsadm', '-Ln', '--stats'],
  ipset: ['ipset', 'list'],
  nft: ['nft', 'list', 'ruleset'],
  'ip-addr': ['ip', '-j', 'addr'],
  // All tables: the local table is what makes VIPs on kube-ipvs0 and node IPs "local" to routing.
  'ip-route': ['ip', '-j', 'route', 'show', 'table', 'all'],
  conntrack: ['conntrack', '-L'],
  'resolv.conf': ['cat', '/etc/resolv.conf'],
};

/**
 * Lists every process with its network namespace, plus the collector's own netns (`self`), so pods'
 * namespaces can be told apart from the host's. Fixed text; reads only /proc.
 */
export const NETNS_DISCOVERY: Argv = [
  'sh',
  '-c',
  'echo "self $(readlink /proc/self/ns/net)"; for d in /proc/[0-9]*; do n=$(readlink "$d/ns/net" 2>/dev/null) && echo "${d#/proc/} $n"; done',
];

/**
 * kube-proxy command lines of processes in the collector's own netns (kube-proxy runs with
 * hostNetwork; on a shared-PID lab machine other nodes' kube-proxies are visible and must be ignored).
 * Chosen by the program's own name (argv[0], or hyperkube's proxy), not by "kube-proxy" anywhere in
 * the line: this script's own shell has that word in its command line.
 */
export const KUBE_PROXY_CMDLINE: Argv = [
  'sh',
  '-c',
  'self=$(readlink /proc/self/ns/net); for d in /proc/[0-9]*; do [ "$(readlink "$d/ns/net" 2>/dev/null)" = "$self" ] || continue; c=$(tr "\\0" " " < "$d/cmdline" 2>/dev/null); a=${c%% *}; case "${a##*/}" in kube-proxy) echo "$c";; hyperkube) case "$c" in *proxy*) echo "$c";; esac;; esac; done',
];

const MAX_PID = 2 ** 22; // PID_MAX_LIMIT on 64-bit Linux

/** A PID discovered on the node; throws unless it is a plain decimal below PID_MAX_LIMIT. */
export function validatePid(pid: string | number): number {
  const text = String(pid);
  if (!/^[0-9]+$/.test(text)) throw new Error(`refusing PID ${JSON.stringify(text)}: not a decimal number`);
  const n = Number(text);
  if (n <= 0 || n >= MAX_PID) throw new Error(`refusing PID ${text}: out of range`);
  return n;
}

/** Addresses inside a pod's netns: enter only the network namespace. */
export function podIpAddrCommand(pid: string | number): Argv {
  return ['nsenter', '-t', String(validatePid(pid)), '-n', 'ip', '-j', 'addr'];
}

/**
 * `ip -j addr` of many pod netns in one round trip: a FIXED script; the validated PIDs are passed as
 * positional arguments ("$@"), never spliced into the script. Each section starts `== PID`.
 */
export const POD_IP_ADDR_SCRIPT =
  'for p in "$@"; do echo "== $p"; nsenter -t "$p" -n ip -j addr 2>/dev/null; echo; done';

export function podIpAddrBatchCommand(pids: (string | number)[]): Argv {
  return ['sh', '-c', POD_IP_ADDR_SCRIPT, 'sh', ...pids.map((p) => String(validatePid(p)))];
}

/** Splits the batch output into PID → that PID's `ip -j addr` text (empty when nsenter failed). */
export function splitPodIpAddrBatch(stdout: string): Map<number, string> {
  const out = new Map<number, string>();
  let pid: number | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^== ([0-9]+)$/.exec(line);
    if (m) {
      pid = Number(m[1]);
      out.set(pid, '');
    } else if (pid !== undefined && line) {
      out.set(pid, out.get(pid) + line + '\n');
    }
  }
  return out;
}

/** The pod's resolv.conf lives in its mount namespace; /proc/PID/root reaches it without nsenter. */
export function podResolvConfCommand(pid: string | number): Argv {
  return ['cat', `/proc/${validatePid(pid)}/root/etc/resolv.conf`];
}

/** Operator-chosen CNI config directory (absolute, conservative characters, no `..`). */
export function validateCniDir(dir: string): string {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(dir) || dir.split('/').includes('..')) {
    throw new Error(
      `refusing CNI directory ${JSON.stringify(dir)}: must be an absolute path of [A-Za-z0-9._/-] without ".."`,
    );
  }
  return dir.replace(/\/+$/, '') || '/';
}

export function cniListCommand(dir: string): Argv {
  return ['ls', '-1A', validateCniDir(dir)];
}

/** A file name listed in the CNI directory; only plain names are read. */
export function cniReadCommand(dir: string, name: string): Argv {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..')
    throw new Error(`refusing CNI file name ${JSON.stringify(name)}`);
  return ['cat', `${validateCniDir(dir)}/${name}`];
}

/** POSIX single-quote every word: safe for any byte string. */
export function shellQuote(argv: Argv): string {
  return argv.map((w) => (/^[A-Za-z0-9_/.,:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** `sudo -n` never prompts: a password-protected sudo fails fast instead of hanging. */
export function withSudo(argv: Argv, sudo: boolean): Argv {
  return sudo ? ['sudo', '-n', ...argv] : argv;
}
