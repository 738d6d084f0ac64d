/**
 * The tracer's question and answer. The JSON form of TraceResult is the CLI contract
 * (`kubepath trace --json`): {"outcomes":[{"verdict","to","probability","masquerade","steps":[...]}]}.
 * Fields may be added; none may be renamed or reshaped.
 */
import type { OutcomeAnswer, PathHop, Answer } from '@/lib/model/answer';
import type { Packet, TraceStep, Verdict } from '@/lib/model/trace-step';

// The packet and step vocabulary has its own file so lib/model/answer can use it without a cycle.
export type { Protocol, Packet, Verdict, StepEffect, K8sLabel, TraceStep } from '@/lib/model/trace-step';

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

export interface ResolvedQuestion {
  packet: Packet;
  /** The (first) node the packet is traced on. */
  node: string;
  /** Every node traced, side by side: one for a pod or node source, possibly several for an outside source. */
  nodes: string[];
  compare?: string;
  /** Human text for the source: "pod default/web-0 (10.244.1.10)". */
  sourceLabel: string;
  sourceKind: 'pod' | 'node' | 'address';
  /** `pod:ns/name` when the source is (or has the IP of) a pod: what a pod picker shows. */
  sourcePod?: string;
  /** The node the source lives on; absent for an address outside the cluster. */
  sourceNode?: string;
  /** How the node was chosen, in words: "edge-2 runs on node-2". */
  nodeReason: string;
  /** Set when the node asked for is not the source's own: "edge-2 runs on node-2; simulating node-1". */
  whatIf?: string;
}
