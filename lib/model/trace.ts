/**
 * The tracer's question and answer. The JSON form of TraceResult is the CLI contract
 * (`kubepath trace --json`): {"outcomes":[{"verdict","to","probability","masquerade","steps":[...]}]}.
 * Fields may be added; none may be renamed or reshaped.
 */
import type { OutcomeAnswer, PathHop, Answer } from '@/lib/model/answer';

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface Packet {
  src: string;
  dst: string;
  port: number;
  proto: Protocol;
  /** Source port; the tracer assumes an ephemeral one when absent. */
  sport?: number;
  /** Interface the packet arrives on (forwarded/inbound), if known. */
  inInterface?: string;
}

/** dnat: a Service rule rewrote the destination. accept: reached its destination untouched
 *  (no Service matched). drop: silently discarded (client times out). reject: refused (client
 *  sees "connection refused" / ICMP unreachable at once). */
export type Verdict = 'dnat' | 'drop' | 'reject' | 'accept';

export type StepEffect =
  | 'enter' // entered a built-in hook chain
  | 'jump'
  | 'goto'
  | 'return'
  | 'policy'
  | 'dnat'
  | 'snat'
  | 'masquerade'
  | 'mark'
  | 'accept'
  | 'drop'
  | 'reject'
  | 'log'
  | 'branch' // probabilistic or hash-based choice
  | 'route' // routing decision
  | 'ipvs' // IPVS virtual server lookup
  | 'note';

/** Kubernetes meaning of a chain or rule, when there is one. */
export interface K8sLabel {
  /** e.g. 'service', 'service-local', 'external', 'firewall', 'endpoint', 'nodeports', 'services',
   *  'mark-masq', 'postrouting', 'forward', 'external-services', 'proxy-firewall', 'xlb', 'host' */
  role?: string;
  /** `ns/name:port` (or `ns/name` for an unnamed port) parsed from kube-proxy comments. */
  service?: string;
  /** Endpoint `ip:port` for SEP / endpoint chains. */
  endpoint?: string;
}

export interface TraceStep {
  /** Source of the rule: iptables/ip6tables table, nft table, ipvs, or the routing decision. */
  table: string;
  chain: string;
  /** Dump line number of the rule (0 for synthetic steps such as a policy or routing decision). */
  line: number;
  raw: string;
  effect: StepEffect;
  /** Human explanation of why this rule matched (or what happened). */
  why: string;
  label?: K8sLabel;
  /** Probability of taking this branch given the packet reached this rule (statistic q_i). */
  branchProbability?: number;
  /** Matches or targets the tracer could not evaluate and assumed; never silently skipped. */
  assumptions?: string[];
}

export interface Outcome {
  verdict: Verdict;
  /** Final destination `IP:PORT` (IPv6 `[ip]:port`) after DNAT, or the original destination for accept; null for drop/reject. */
  to: string | null;
  /** Probability of this outcome for a new connection, 0..1. */
  probability: number;
  /** True when POSTROUTING masquerades (SNATs) this flow. */
  masquerade: boolean;
  /** SNAT source if a SNAT target (not MASQUERADE) applied. */
  snatTo?: string;
  steps: TraceStep[];
  /** Kubernetes identity of the endpoint reached, when known. */
  endpoint?: { service?: string; ip: string; port: number };
  /** Assumptions that apply to this outcome (union of the steps' assumptions). */
  assumptions: string[];
  /** Where the packet ends: delivered locally, forwarded, or sent out by the node. */
  path?: 'local' | 'forward' | 'output';
  /** What the client sees (contract: `answer`), filled in by lib/question. */
  answer?: Answer;
  /** The verdict sentence (contract: `sentence`). */
  sentence?: string;
  /** The details behind `answer` and `sentence`. */
  detail?: OutcomeAnswer;
}

export interface TraceResult {
  packet: Packet;
  node?: string;
  mode: 'iptables' | 'ipvs' | 'nftables' | 'userspace' | 'unknown';
  outcomes: Outcome[];
  /** Notes about the whole trace: affinity, UDP conntrack, obsolete userspace mode, etc. */
  notes: string[];
  /** Problems with the inputs (e.g. parse issues) that may affect the answer; a what-if node
   *  (traced on another node than the source's) is said here too. */
  warnings: string[];
  /** The nodes the packet crosses in order, each with its steps (contract: `path`). */
  path?: PathHop[];
}
