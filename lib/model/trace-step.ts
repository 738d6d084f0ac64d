/**
 * The packet a trace follows and the steps it takes through the rules (part of the
 * `kubepath trace --json` contract, see lib/model/trace.ts).
 */

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
