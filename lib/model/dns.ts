/**
 * DNS resolution model: resolv.conf as each stub resolver reads it, the candidate names it tries,
 * what the cluster DNS answers for each query, and the findings shown to the user.
 * Plain serialisable data (no classes), like every lib/model type.
 */
import type { ParseIssue } from '@/lib/parse/parse-result';
import type { LegacyKubeDns } from '@/lib/model/coredns';

export type ResolverFlavor = 'glibc' | 'musl';

/** One syntactically recognised resolv.conf line (keyword + whitespace-split arguments). */
export interface ResolvConfDirective {
  line: number;
  raw: string;
  keyword: string;
  args: string[];
}

/** resolv.conf as written, before any resolver's reading rules are applied. */
export interface ResolvConfFile {
  directives: ResolvConfDirective[];
  /** Every physical line (needed for musl, which drops lines of 255+ characters). */
  lines: { line: number; raw: string }[];
}

export interface ResolverOptions {
  ndots: number;
  timeout: number;
  attempts: number;
  rotate: boolean;
  singleRequest: boolean;
  singleRequestReopen: boolean;
  useVc: boolean;
  edns0: boolean;
  noTldQuery: boolean;
  trustAd: boolean;
  noAaaa: boolean;
}

/** The configuration one resolver flavour actually uses, with what it ignored as issues. */
export interface ResolverConfig {
  flavor: ResolverFlavor;
  nameservers: string[];
  search: string[];
  options: ResolverOptions;
  /** Lines/options this flavour ignores or truncates (shown to the user). */
  ignored: ParseIssue[];
}

export type DnsRRType = 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'PTR' | 'TXT';

export interface DnsRecord {
  /** Owner name, fully qualified with trailing dot. */
  name: string;
  type: DnsRRType;
  ttl: number;
  /** A/AAAA: the address; CNAME/PTR: target with trailing dot; SRV: "prio weight port target." */
  data: string;
}

/** NODATA is NOERROR with no answer of the asked type (kept separate because resolvers treat it differently). */
export type DnsRcode = 'NOERROR' | 'NXDOMAIN' | 'NODATA' | 'SERVFAIL' | 'REFUSED' | 'NO_RESPONSE';

/** Which part of the DNS chain produced an answer. */
export type DnsVia =
  | 'kubernetes'
  | 'autopath'
  | 'forward'
  | 'hosts'
  | 'stub-domain'
  | 'upstream'
  | 'not-cluster-dns'
  | 'unreachable'
  | 'none';

export interface DnsAnswer {
  rcode: DnsRcode;
  answers: DnsRecord[];
  via: DnsVia;
  /** Why the server answered this way (e.g. "namespace prod does not exist"). */
  detail: string;
  /** For forwarded queries: the upstream target(s) used. */
  forwardedTo?: string[];
  /** Names the server rewrote the query to (CoreDNS `rewrite`). */
  rewrittenTo?: string;
}

export interface CandidateName {
  /** Fully qualified, trailing dot. */
  fqdn: string;
  reason: 'rooted' | 'as-is-first' | 'search' | 'as-is-last';
  searchDomain?: string;
}

/** One DNS query the stub resolver sends. */
export interface DnsQuery extends DnsAnswer {
  name: string;
  type: 'A' | 'AAAA';
  nameserver: string;
  /** Index into LookupResult.steps. */
  candidate: number;
}

export type CandidateOutcome =
  'addresses' | 'nxdomain' | 'nodata' | 'cname-only' | 'servfail' | 'refused' | 'no-response' | 'name-too-long';

export interface ResolutionStep {
  candidate: CandidateName;
  queries: DnsQuery[];
  outcome: CandidateOutcome;
  decision: 'success' | 'next-candidate' | 'stop';
  why: string;
}

export type GaiStatus = 'OK' | 'EAI_NONAME' | 'EAI_NODATA' | 'EAI_AGAIN' | 'EAI_FAIL';

export interface DnsFinding {
  id:
    | 'ndots-amplification'
    | 'nameserver-not-cluster-dns'
    | 'nodelocal-dnscache'
    | 'forward-loop'
    | 'no-ready-coredns'
    | 'search-list-limits'
    | 'musl-no-search'
    | 'musl-stops-on-nodata'
    | 'musl-ignored-option'
    | 'musl-long-line'
    | 'musl-parallel-nameservers'
    | 'resolv-conf-ignored'
    | 'externalname-ip'
    | 'legacy-kube-dns'
    | 'autopath'
    | 'resolver-flavors-differ'
    | 'cluster-dns-assumed'
    | 'musl-search-dot'
    | 'conntrack-race'
    | 'kubelet-resolv-conf';
  severity: 'info' | 'warning' | 'error';
  message: string;
  fix?: string;
}

/** How the packet to a nameserver travels (filled by the caller's tracer callback). */
export interface NameserverPath {
  ip: string;
  port: number;
  proto: 'udp' | 'tcp';
  kind: 'kube-dns-clusterip' | 'nodelocal-dnscache' | 'pod-ip' | 'other';
  /** Whatever the packet tracer returned (opaque here so lib/dns does not depend on lib/trace). */
  trace?: unknown;
}

export interface LookupResult {
  name: string;
  flavor: ResolverFlavor;
  family: 'unspec' | 'inet' | 'inet6';
  config: ResolverConfig;
  steps: ResolutionStep[];
  queries: DnsQuery[];
  addresses: string[];
  status: GaiStatus;
  findings: DnsFinding[];
  nameserverPaths: NameserverPath[];
  /** How the queries travel for this flavour and options (parallel A+AAAA, sequential, TCP…). */
  transport: string;
}

export interface DnsExplanation extends LookupResult {
  resolvIssues: ParseIssue[];
  corefileIssues: ParseIssue[];
  upstreamIssues: ParseIssue[];
  legacy?: LegacyKubeDns;
  clusterDomain: string;
}

/** The resolv.conf a pod's lookup used: as captured on its node, or derived the way kubelet writes it. */
export interface PodResolv {
  source: 'captured' | 'derived';
  /** The resolv.conf text the lookup used. */
  text: string;
  /** Where it came from, or why it had to be derived. */
  note: string;
}
