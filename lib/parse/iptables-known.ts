/**
 * Static knowledge about iptables-save output: tables, built-in chains, and the match
 * modules and targets we recognise. Anything outside these lists still parses (generically);
 * it is only flagged so the UI can say "the tracer may not evaluate this".
 */
import type { TableName } from '@/lib/model/netfilter';

export const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter', 'security'];

/** Built-in chains per table (the kernel's hooks for that table; policy ACCEPT/DROP). */
export const BUILTIN_CHAINS: Record<TableName, ReadonlySet<string>> = {
  raw: new Set(['PREROUTING', 'OUTPUT']),
  mangle: new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']),
  nat: new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']),
  filter: new Set(['INPUT', 'FORWARD', 'OUTPUT']),
  security: new Set(['INPUT', 'FORWARD', 'OUTPUT']),
};

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

/**
 * Match modules emitted by kube-proxy, Calico, Cilium (chaining mode), Docker, kubelet, and
 * the other xtables extensions shipped with iptables 1.8.x.
 */
export const KNOWN_MATCHES: ReadonlySet<string> = new Set([
  'addrtype',
  'ah',
  'bpf',
  'cgroup',
  'cluster',
  'comment',
  'connbytes',
  'connlabel',
  'connlimit',
  'connmark',
  'conntrack',
  'cpu',
  'dccp',
  'devgroup',
  'dscp',
  'dst',
  'ecn',
  'esp',
  'eui64',
  'frag',
  'hashlimit',
  'hbh',
  'helper',
  'hl',
  'icmp',
  'icmp6',
  'icmpv6',
  'iprange',
  'ipv6header',
  'ipvs',
  'length',
  'limit',
  'mac',
  'mark',
  'mh',
  'multiport',
  'nfacct',
  'osf',
  'owner',
  'physdev',
  'pkttype',
  'policy',
  'quota',
  'rateest',
  'realm',
  'recent',
  'rpfilter',
  'rt',
  'sctp',
  'set',
  'socket',
  'state',
  'statistic',
  'string',
  'tcp',
  'tcpmss',
  'time',
  'tos',
  'ttl',
  'u32',
  'udp',
  'udplite',
  'mptcp',
]);

/** Targets that are not user chains (kernel verdicts and xtables target extensions). */
export const KNOWN_TARGETS: ReadonlySet<string> = new Set([
  'ACCEPT',
  'DROP',
  'RETURN',
  'QUEUE',
  'REJECT',
  'DNAT',
  'SNAT',
  'MASQUERADE',
  'REDIRECT',
  'NETMAP',
  'MARK',
  'CONNMARK',
  'CONNSECMARK',
  'SECMARK',
  'LOG',
  'NFLOG',
  'ULOG',
  'NFQUEUE',
  'NOTRACK',
  'CT',
  'TRACE',
  'TPROXY',
  'TCPMSS',
  'TCPOPTSTRIP',
  'TOS',
  'DSCP',
  'TTL',
  'HL',
  'CLASSIFY',
  'CHECKSUM',
  'AUDIT',
  'IDLETIMER',
  'LED',
  'RATEEST',
  'SET',
  'HMARK',
  'TEE',
  'CLUSTERIP',
  'ECN',
  'SYNPROXY',
  'DNPT',
  'SNPT',
  'MIRROR',
]);

/** Match options whose values iptables-save prints through `xtables_save_string`
 *  (bare only when `[A-Za-z0-9_-]+`, otherwise quoted). Needed to reproduce its text exactly. */
export const SAVE_STRING_OPTIONS: ReadonlySet<string> = new Set(['comment', 'log-prefix', 'nflog-prefix']);

/** Options whose value iptables-save always prints in double quotes (libxt_string, u32, bpf). */
export const ALWAYS_QUOTED_OPTIONS: ReadonlySet<string> = new Set(['string', 'hex-string', 'u32', 'bytecode']);

/** Options of the basic rule header (`-s`, `-d`, ...), by short and long spelling. */
export const BASIC_OPTIONS: Record<
  string,
  | 'source'
  | 'destination'
  | 'inInterface'
  | 'outInterface'
  | 'protocol'
  | 'fragment'
  | 'match'
  | 'jump'
  | 'goto'
  | 'counters'
> = {
  '-s': 'source',
  '--source': 'source',
  '--src': 'source',
  '-d': 'destination',
  '--destination': 'destination',
  '--dst': 'destination',
  '-i': 'inInterface',
  '--in-interface': 'inInterface',
  '-o': 'outInterface',
  '--out-interface': 'outInterface',
  '-p': 'protocol',
  '--protocol': 'protocol',
  '-f': 'fragment',
  '--fragment': 'fragment',
  '-m': 'match',
  '--match': 'match',
  '-j': 'jump',
  '--jump': 'jump',
  '-g': 'goto',
  '--goto': 'goto',
  '-c': 'counters',
  '--set-counters': 'counters',
};
