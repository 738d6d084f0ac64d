/**
 * Large endpoint fan-outs (KUBE-SVC-* → hundreds of KUBE-SEP-* → pods, or an IPVS virtual server
 * → its real servers) are drawn as one group. Collapsed, the group is a single box with the summed
 * probability, so the picture stays true. Expanded, it is a frame holding one tile per endpoint,
 * with the endpoint's own chain (KUBE-SEP-*) folded into its tile: one element per endpoint instead
 * of a chain box, a pod box and two edges. 500 endpoints then read as a grid rather than a column
 * 30,000 pixels tall, cost a quarter of the elements to draw, and lose nothing: a tile carries the
 * pod, its share, masquerade, and the rule lines of every step it stands for.
 */
import { mergeAnswer, ruleKey } from './graph-model';
import type { GraphEdge, GraphModel, GraphNode, RuleRef } from '@/lib/model/graph';

interface Member {
  /** The per-endpoint chain (absent for IPVS, whose virtual server picks the real server itself). */
  sep?: string;
  endpoint: string;
}

/** Fan-outs by their caller: the chain or IPVS virtual server that picks one endpoint among many. */
function fanOuts(model: GraphModel, byId: Map<string, GraphNode>): Map<string, Member[]> {
  const incoming = new Map<string, GraphEdge[]>();
  for (const e of model.edges) (incoming.get(e.target) ?? incoming.set(e.target, []).get(e.target)!).push(e);
  const fans = new Map<string, Member[]>();
  // An endpoint reached from two fan-outs (odd, but possible in a hand-written ruleset) joins the first.
  const claimed = new Set<string>();
  const add = (caller: string, m: Member) => {
    if (claimed.has(m.endpoint)) return;
    claimed.add(m.endpoint);
    (fans.get(caller) ?? fans.set(caller, []).get(caller)!).push(m);
  };
  for (const e of model.edges) {
    if (e.kind !== 'dnat') continue;
    const kind = byId.get(e.source)?.kind;
    if (kind === 'ipvs') {
      add(e.source, { endpoint: e.target });
      continue;
    }
    // The chain that DNATs to the endpoint must have a single caller to belong to its fan-out.
    const parents = incoming.get(e.source) ?? [];
    if (parents.length !== 1 || kind !== 'chain') continue;
    add(parents[0].source, { sep: e.source, endpoint: e.target });
  }
  return fans;
}

/** The rule lines a tile stands for: the pick in the caller, the endpoint chain's rules, the DNAT. */
function tileRules(parts: RuleRef[][]): RuleRef[] {
  const seen = new Set<string>();
  const out: RuleRef[] = [];
  for (const r of parts.flat()) {
    const key = ruleKey(r);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out.sort((a, b) => a.line - b.line);
}

export function collapseFanOut(model: GraphModel, above: number, expanded: Set<string>): GraphModel {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(model.edges.map((e) => [e.id, e]));
  const groups: GraphModel['groups'] = [];
  /** Node id → the group that takes its place in edges (SEP chains; endpoints too when collapsed). */
  const remap = new Map<string, string>();
  /** Endpoint id → its tile, for expanded groups. */
  const tiles = new Map<string, GraphNode>();
  /** Member (SEP chain or endpoint) id → the group node drawn where the group's first member was. */
  const firstMember = new Map<string, GraphNode>();
  for (const [caller, members] of fanOuts(model, byId)) {
    if (members.length <= above) continue;
    const gid = `group:${caller}`;
    const open = expanded.has(gid);
    groups.push({ id: gid, count: members.length, expanded: open });
    let probability = 0;
    let masquerade = false;
    let answer: GraphNode['answer'];
    let stale = false;
    for (const m of members) {
      const ep = byId.get(m.endpoint)!;
      probability += ep.probability ?? 0;
      masquerade ||= !!ep.masquerade;
      answer = mergeAnswer(answer, ep.answer);
      stale ||= !!ep.stale;
      if (m.sep) remap.set(m.sep, gid);
      if (!open) {
        remap.set(m.endpoint, gid);
        continue;
      }
      const sep = m.sep ? byId.get(m.sep) : undefined;
      const pick = edgeById.get(`${caller}->${m.sep ?? m.endpoint}`)?.rules ?? [];
      const dnat = m.sep ? (edgeById.get(`${m.sep}->${m.endpoint}`)?.rules ?? []) : [];
      tiles.set(m.endpoint, {
        ...ep,
        parent: gid,
        via: sep?.label.split('\n')[0],
        rules: tileRules([pick, sep?.rules ?? [], ep.rules, dnat]),
      });
    }
    const label = open ? `${members.length} endpoints` : `${members.length} endpoints (collapsed)`;
    const group: GraphNode = {
      id: gid,
      kind: 'group',
      label,
      count: members.length,
      probability,
      masquerade,
      expanded: open,
      rules: [],
      answer,
      ...(stale ? { stale } : {}),
    };
    firstMember.set(members[0].sep ?? members[0].endpoint, group);
  }
  if (!groups.length) return model;

  // The group box sits where its first member was, so the layout keeps the trace's order.
  const nodes: GraphNode[] = [];
  for (const n of model.nodes) {
    const g = firstMember.get(n.id);
    if (g) nodes.push(g);
    if (!remap.has(n.id)) nodes.push(tiles.get(n.id) ?? n);
  }
  const edges = new Map<string, GraphEdge>();
  for (const e of model.edges) {
    const tile = tiles.get(e.target);
    // Edges inside a tile (SEP → pod) vanish; the pick (caller → SEP, or IPVS → real server) now
    // points at the frame. Other edges into a tile are kept as they are.
    const intoFrame = tile && (remap.get(e.source) === tile.parent || `group:${e.source}` === tile.parent);
    const source = remap.get(e.source) ?? e.source;
    const target = intoFrame ? tile.parent! : (remap.get(e.target) ?? e.target);
    if (source === target) continue;
    const id = `${source}->${target}`;
    const prev = edges.get(id);
    if (prev) {
      prev.probability += e.probability;
      prev.masquerade = prev.masquerade || e.masquerade;
      if (prev.rules.length < 50) prev.rules.push(...e.rules.slice(0, 50 - prev.rules.length));
    } else edges.set(id, { ...e, id, source, target, rules: e.rules.slice(0, 50) });
  }
  return { nodes, edges: [...edges.values()], groups };
}
