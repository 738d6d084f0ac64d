/** Shared vocabulary for writing kernel cases from a topology. */
import type { TopologyPlan as Topology } from '@/testkit/netns/topology';
import { clusterIP, remoteVip } from '@/testkit/netns/addressing';
import type { KEndpoint } from './kube-spec';
import type { ExpectedOutcome } from './prediction';

/** Handy accessors for the standard 3-pod topology (a, b on node 1; c on node 2). */
export function lab(topo: Topology) {
  const pod = (name: string) => {
    const p = topo.pods.find((x) => x.name === name);
    if (!p) throw new Error(`no pod ${name} in topology`);
    return p;
  };
  return {
    pod,
    cip: (n: number) => clusterIP(topo.plan, n),
    vip: (n: number) => remoteVip(topo.plan, n),
    localVip: (n: number) => topo.localVips[n - 1],
    nodeIP: topo.plan.node[0].underlay,
    /** Endpoint of pod `name` on `port` (local = on node 1). */
    ep: (name: string, port = 8080): KEndpoint => ({ ip: pod(name).ip, port, local: pod(name).node === 1 }),
    /** Expected answer from pod `name` with probability p. */
    to: (name: string, p: number, masq: boolean, port?: number): ExpectedOutcome => ({
      pod: pod(name).label,
      ip: pod(name).ip,
      p,
      masq,
      port,
    }),
  };
}

export const DROP: ExpectedOutcome = { kind: 'timeout', p: 1 };
export const REJECT: ExpectedOutcome = { kind: 'refused', p: 1 };
