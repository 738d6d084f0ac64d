/**
 * For an outside source the console asks on which node the packet arrives. Its default is every
 * node that answers the address, side by side: the node that owns it when it is a node address
 * (a NodePort on that node's IP), else every collected node (an LB or external IP is programmed on
 * all of them; which one the outside router picks is not in any capture).
 */
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { snapshotInputs, snapshotInventory } from './answer-question';

export function entryNodes(snap: ClusterSnapshot, dst: string): string[] {
  const inv = snapshotInventory(snap);
  const owner = inv.nodeByAddress(dst);
  if (owner) return inv.collected(owner) ? [owner] : [];
  return snap.nodes.filter((n) => !n.error && snapshotInputs(snap, n.name)).map((n) => n.name);
}
