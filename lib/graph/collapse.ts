/**
 * Collapses a large endpoint fan-out (KUBE-SVC-* → hundreds of KUBE-SEP-* → pods) into one
 * expandable group node. The group keeps the summed probability, so the picture stays true.
 */
import type { GraphEdge, GraphModel, GraphNode } from './graph-model';

export function collapseFanOut(model: GraphModel, above: number, expanded: Set<string>): GraphModel {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, GraphEdge[]>();
  for (const e of model.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e]);
  // The chain that DNATs to an endpoint (KUBE-SEP-*, an IPVS real server, an nft endpoint chain) and its single caller.
  // IPVS has no per-endpoint chain: the virtual server itself fans out to the real servers.
  const fan = new Map<string, { sep?: string; endpoint: string }[]>();
  for (const e of model.edges) {
    if (e.kind !== 'dnat') continue;
    const kind = byId.get(e.source)?.kind;
    if (kind === 'ipvs') {
      fan.set(e.source, [...(fan.get(e.source) ?? []), { endpoint: e.target }]);
      continue;
    }
    const parents = incoming.get(e.source) ?? [];
    if (parents.length !== 1 || kind !== 'chain') continue;
    const p = parents[0].source;
    fan.set(p, [...(fan.get(p) ?? []), { sep: e.source, endpoint: e.target }]);
  }
  const groups: GraphModel['groups'] = [];
  const remap = new Map<string, string>();
  const groupNodes: GraphNode[] = [];
  for (const [parent, members] of fan) {
    if (members.length <= above) continue;
    const gid = `group:${parent}`;
    const isExpanded = expanded.has(gid);
    groups.push({ id: gid, count: members.length, expanded: isExpanded });
    if (isExpanded) continue;
    let probability = 0;
    let masquerade = false;
    for (const m of members) {
      if (m.sep) remap.set(m.sep, gid);
      remap.set(m.endpoint, gid);
      const ep = byId.get(m.endpoint);
      probability += ep?.probability ?? 0;
      masquerade ||= !!ep?.masquerade;
    }
    groupNodes.push({ id: gid, kind: 'group', label: `${members.length} endpoints (collapsed)`, count: members.length, probability, masquerade, rules: [] });
  }
  if (remap.size === 0) return { ...model, groups };
  const edges = new Map<string, GraphEdge>();
  for (const e of model.edges) {
    const source = remap.get(e.source) ?? e.source;
    const target = remap.get(e.target) ?? e.target;
    if (source === target) continue;
    const id = `${source}->${target}`;
    const prev = edges.get(id);
    if (prev) {
      prev.probability += e.probability;
      prev.masquerade = prev.masquerade || e.masquerade;
      if (prev.rules.length < 50) prev.rules.push(...e.rules.slice(0, 50 - prev.rules.length));
    } else edges.set(id, { ...e, id, source, target, rules: e.rules.slice(0, 50) });
  }
  return {
    nodes: [...model.nodes.filter((n) => !remap.has(n.id)), ...groupNodes],
    edges: [...edges.values()],
    groups,
  };
}
