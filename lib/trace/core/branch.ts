/**
 * One possible path of a packet through the rules. A `statistic` rule (or an IPVS scheduler,
 * or an nft `numgen`) forks a branch in two; every branch carries its own probability, mark,
 * NAT decisions and the steps it took, so per-branch facts (hairpin masquerade) stay per branch.
 */
import type { Protocol, TraceStep, Verdict } from '@/lib/model/trace';

export interface PacketState {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto: Protocol;
  /** Interface the packet came in on (undefined for locally generated packets, or unknown). */
  inIface?: string;
  /** Outgoing interface: known only after the routing decision. */
  outIface?: string;
}

export interface Branch {
  pkt: PacketState;
  probability: number;
  /** skb->mark (32 bit). */
  mark: number;
  dnat?: { ip: string; port: number };
  snat?: string;
  masquerade: boolean;
  /** Set by raw NOTRACK / CT --notrack: no conntrack entry, so the nat table never sees it. */
  untracked?: boolean;
  /** xt_recent lists this walk has `--set` (a first packet has no other history). */
  recent: string[];
  steps: TraceStep[];
  assumptions: string[];
  /** Terminal verdict once the packet stops (drop/reject) or reaches its destination. */
  verdict?: Verdict;
  path?: 'local' | 'forward' | 'output';
  /** Kubernetes service the walk is currently inside (comment or chain graph). */
  service?: string;
  /** Endpoint service identity once DNAT happened inside a SEP / endpoint chain. */
  endpointService?: string;
}

/** Copy a branch for a fork; `p` multiplies its probability. */
export function forkBranch(b: Branch, p: number): Branch {
  return {
    ...b,
    pkt: { ...b.pkt },
    probability: b.probability * p,
    recent: [...b.recent],
    steps: [...b.steps],
    assumptions: [...b.assumptions],
  };
}

export function newBranch(pkt: PacketState): Branch {
  return { pkt, probability: 1, mark: 0, masquerade: false, recent: [], steps: [], assumptions: [] };
}

/** Record an assumption on the branch (deduplicated; the outcome shows the union). */
export function assume(b: Branch, text: string): void {
  if (!b.assumptions.includes(text)) b.assumptions.push(text);
}
