/**
 * TraceResult → GraphModel. Each outcome's steps are walked in order with a call stack, the way
 * netfilter walks them: a jump/goto draws an edge caller → callee, a return (explicit, or falling
 * off the end of a user chain) pops back to the caller without an edge, and entering a built-in
 * hook (nat PREROUTING → filter FORWARD → nat POSTROUTING) continues the spine from the last hook.
 * Edge probabilities are the summed probabilities of the outcomes that cross the edge, so the
 * SVC → SEP fan-out shows each endpoint's real share (p_i = q_i · Π(1 − q_j)), not the raw q_i.
 */
import type { Outcome, TraceResult, TraceStep } from '@/lib/model/trace';
import { mergeAnswer, ruleKey } from './graph-model';
import { collapseFanOut } from './collapse';
import type { GraphEdge, GraphModel, GraphNode, RuleRef, PodRef } from '@/lib/model/graph';

export interface BuildGraphOptions {
  /** Text for the source node, e.g. "pod default/web-0 (10.244.1.10)". */
  sourceLabel?: string;
  /** Endpoint IP → pod, from the snapshot's API objects. */
  podsByIp?: Record<string, PodRef>;
  /** Collapse a chain's endpoint fan-out into one group node above this many endpoints. */
  collapseAbove?: number;
  /** Group node ids the user expanded. */
  expanded?: string[];
}

export const DEFAULT_COLLAPSE_ABOVE = 12;

const HOOKS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

function nodeId(s: TraceStep): string {
  if (s.effect === 'route') return `route:${s.chain || s.table}`;
  return `${s.table}:${s.chain}`;
}

function ruleOf(s: TraceStep): RuleRef {
  return { table: s.table, chain: s.chain, line: s.line, raw: s.raw, effect: s.effect, why: s.why };
}

function ipOf(to: string): string {
  return to.startsWith('[') ? to.slice(1, to.indexOf(']')) : to.slice(0, to.lastIndexOf(':'));
}

export function buildGraph(result: TraceResult, opts: BuildGraphOptions = {}): GraphModel {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const seenRules = new Map<string, Set<string>>();

  const addNode = (n: Omit<GraphNode, 'rules'> & { rules?: RuleRef[] }): GraphNode => {
    let node = nodes.get(n.id);
    if (!node) nodes.set(n.id, (node = { rules: [], ...n }));
    return node;
  };
  const addRule = (node: GraphNode, r: RuleRef) => {
    if (!r.raw && r.line === 0) return;
    const seen = seenRules.get(node.id) ?? new Set<string>();
    seenRules.set(node.id, seen);
    const key = ruleKey(r);
    if (seen.has(key)) return;
    seen.add(key);
    node.rules.push(r);
  };
  const addEdge = (
    source: string,
    target: string,
    kind: GraphEdge['kind'],
    o: Outcome,
    crossed: Set<string>,
    rule?: RuleRef,
  ) => {
    const id = `${source}->${target}`;
    let e = edges.get(id);
    if (!e) edges.set(id, (e = { id, source, target, kind, probability: 0, rules: [] }));
    if (!crossed.has(id)) {
      crossed.add(id);
      e.probability += o.probability;
    }
    if (rule && !e.rules.some((r) => r.line === rule.line && r.table === rule.table)) e.rules.push(rule);
    return e;
  };

  addNode({ id: 'source', kind: 'source', label: opts.sourceLabel ?? `${result.packet.src}` });
  result.outcomes.forEach((o) => {
    const crossed = new Set<string>();
    let stack: string[] = ['source'];
    let lastHook = 'source';
    let terminal = 'source';
    o.steps.forEach((s, i) => {
      const id = nodeId(s);
      const isHook = s.effect === 'enter' || (s.effect === 'policy' && HOOKS.has(s.chain));
      const kind =
        s.effect === 'route'
          ? 'route'
          : s.table === 'ipvs' || s.effect === 'ipvs'
            ? 'ipvs'
            : isHook || HOOKS.has(s.chain)
              ? 'hook'
              : 'chain';
      const node = addNode({
        id,
        kind,
        label: s.effect === 'route' ? `route: ${s.chain || s.why}` : `${s.table} ${s.chain}`,
        role: s.label?.role,
        service: s.label?.service,
      });
      // Name the Service on per-service chains (KUBE-SVC/SEP/EXT/FW hashes mean nothing to a reader).
      if (
        s.label?.service &&
        !node.label.includes('\n') &&
        kind === 'chain' &&
        /^KUBE-(SVC|SVL|EXT|FW|SEP|XLB)-/.test(s.chain)
      ) {
        node.service ??= s.label.service;
        node.label = `${node.label}\n${s.label.service}`;
      }
      addRule(node, ruleOf(s));
      const prev = i > 0 ? o.steps[i - 1] : undefined;
      const prevId = prev ? nodeId(prev) : 'source';
      if (id !== prevId) {
        if (s.effect === 'enter' || s.effect === 'route' || (kind === 'hook' && id !== lastHook)) {
          addEdge(lastHook, id, 'flow', o, crossed);
          lastHook = id;
          stack = [id];
        } else if (stack.includes(id)) {
          stack = stack.slice(0, stack.indexOf(id) + 1); // back in a caller: netfilter's implicit return
        } else {
          const ek = prev?.effect === 'goto' ? 'goto' : prev?.effect === 'ipvs' ? 'ipvs' : 'jump';
          addEdge(prevId, id, ek, o, crossed, prev ? ruleOf(prev) : undefined);
          stack.push(id);
        }
      }
      if (s.effect === o.verdict || (o.verdict === 'dnat' && s.effect === 'dnat')) terminal = id;
    });
    if (terminal === 'source' && o.steps.length) terminal = nodeId(o.steps[o.steps.length - 1]);
    const wanted =
      o.verdict === 'dnat' ? ['dnat'] : o.verdict === 'accept' ? ['accept', 'policy'] : [o.verdict, 'policy'];
    const last = [...o.steps].reverse().find((s) => wanted.includes(s.effect));
    if (o.verdict === 'drop' || o.verdict === 'reject') {
      const vid = `verdict:${o.verdict}:${terminal}`;
      const v = addNode({ id: vid, kind: 'verdict', label: o.verdict.toUpperCase(), probability: 0 });
      v.probability = (v.probability ?? 0) + o.probability;
      v.answer = mergeAnswer(v.answer, o.answer);
      if (last) addRule(v, ruleOf(last));
      addEdge(terminal, vid, 'verdict', o, crossed, last ? ruleOf(last) : undefined);
    } else {
      const to = o.to ?? `${result.packet.dst}:${result.packet.port}`;
      const eid = `endpoint:${to}`;
      const pod = opts.podsByIp?.[ipOf(to)];
      // A DNAT to an address no pod has is drawn as what it is, not as a pod.
      const stale = o.detail?.reason === 'stale-endpoint';
      const label = pod
        ? `${pod.namespace}/${pod.name}\n${to}${pod.node ? ` on ${pod.node}` : ''}`
        : stale
          ? `${to}\nstale: no pod has this address`
          : to;
      const ep = addNode({
        id: eid,
        kind: 'endpoint',
        label,
        pod,
        probability: 0,
        masquerade: o.masquerade,
        ...(stale ? { stale } : {}),
      });
      ep.probability = (ep.probability ?? 0) + o.probability;
      ep.answer = mergeAnswer(ep.answer, o.answer);
      const e = addEdge(
        terminal,
        eid,
        o.verdict === 'dnat' ? 'dnat' : 'accept',
        o,
        crossed,
        last ? ruleOf(last) : undefined,
      );
      e.masquerade = e.masquerade || o.masquerade;
      e.answer = mergeAnswer(e.answer, o.answer);
    }
  });
  for (const n of nodes.values()) n.rules.sort((a, b) => a.line - b.line);
  const model: GraphModel = { nodes: [...nodes.values()], edges: [...edges.values()], groups: [] };
  return collapseFanOut(model, opts.collapseAbove ?? DEFAULT_COLLAPSE_ABOVE, new Set(opts.expanded ?? []));
}
