/**
 * The answer to the SRE's question, above the rule level: what a real client sees, where the packet
 * ended, whose rule decided it, and the nodes it crossed. The JSON form extends the CLI contract
 * (`kubepath trace --json`): every outcome gains `answer` and `sentence`, the result gains `path`.
 * Fields may be added; none may be renamed or reshaped.
 */
import type { Packet, TraceStep } from '@/lib/model/trace-step';

/** What the client sees. `unanswered`: nothing will answer (un-DNATed packet to a Service address,
 *  DNAT to an address no pod has, a drop asked for and not enforced, ...), whatever the rules say. */
export type Answer = 'delivered' | 'dropped' | 'rejected' | 'unanswered';

/** Whose rule decided the outcome. Read from the rule itself (kube-proxy's chains and comments,
 *  kubelet's KUBE-FIREWALL / KUBE-MARK-DROP, CNI chains), never guessed from the verdict. */
export type RuleOwner = 'kube-proxy' | 'kubelet' | 'host-firewall' | 'cni' | 'unknown';

/** Why an outcome has its answer; one code per kind of verdict the console explains. */
export type AnswerReason =
  | 'delivered' // reached a pod (or the node itself) that exists
  | 'rule-drop' // a DROP rule (or chain policy) discarded it
  | 'rule-reject' // a REJECT rule refused it
  | 'no-service' // to a Service-CIDR address no Service owns, not DNATed
  | 'unexposed-port' // to a Service IP on a port the Service does not expose, not DNATed
  | 'missing-rules' // to a Service port the API has, but this node's kube-proxy wrote no rule for it (lagging / not running)
  | 'external-undnated' // an LB / external IP forwarded without DNAT
  | 'mark-drop-unenforced' // kube-proxy jumped to KUBE-MARK-DROP and no rule on the node drops marked packets
  | 'stale-endpoint' // DNAT to an address no pod in the API has
  | 'not-collected' // the path reaches a node that was not collected: stopped there
  | 'no-route' // no route out of the node for the packet
  | 'return-path'; // the reply cannot come back the way it must (named only when the captures show it)

/** The rule (or the missing rule) behind an answer. */
export interface AnswerRule {
  node: string;
  table: string;
  chain: string;
  /** Line in that node's capture; 0 for a chain policy or a synthetic decision. */
  line: number;
  raw: string;
  owner: RuleOwner;
  /** The rule's own name where it has one (its comment), e.g. "block api metrics". */
  name?: string;
}

/** The pod the packet was headed to after DNAT. */
export interface AnswerPod {
  namespace?: string;
  name?: string;
  node?: string;
  ip: string;
  port: number;
  /** Known to the API as a ready endpoint; false: the rules point at an address no pod has. */
  exists: boolean;
}

/** Added to every Outcome. */
export interface OutcomeAnswer {
  answer: Answer;
  /** One sentence a person reads: "✗ dropped on node-2 at filter FORWARD line 21 (host firewall
   *  'block api metrics', not kube-proxy) after DNAT to default/api-1 10.244.2.3:9090 on node-2; the
   *  client times out". */
  sentence: string;
  reason: AnswerReason;
  /** Node where the packet's fate was decided. */
  node?: string;
  rule?: AnswerRule;
  pod?: AnswerPod;
  /** Nodes this outcome's packet crosses, in order (source node first). */
  nodes: string[];
}

/** One node on the packet's way, with that node's steps. */
export interface PathHop {
  node: string;
  /** Indexes into `outcomes` of the outcomes whose packet crosses this node. */
  outcomes: number[];
  /** The packet as it arrives on this node (already DNATed / masqueraded by earlier nodes). */
  arrives: Packet;
  /** How the node was reached: the route and interface on the previous node. */
  via?: { fromNode: string; route?: string; device?: string; gateway?: string };
  steps: TraceStep[];
  /** False when this node was not collected: the path stops here, nothing is guessed. */
  collected: boolean;
}
