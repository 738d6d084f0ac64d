'use client';
import { GraphCanvas } from './GraphCanvas';
import { useCallback, useMemo, useState } from 'react';
import type { TraceResult } from '@/lib/model/trace';
import { buildGraph } from '@/lib/graph/build-graph';
import { toCytoscape } from '@/lib/graph/to-cytoscape';
import { describeOutcomes } from '@/lib/graph/outcome-text';
import { RulePanel } from './RulePanel';
import { OutcomeList } from './OutcomeList';
import { LazyDetails } from './LazyDetails';
import type { PodRef } from '@/lib/model/graph';


/** One node's trace: the graph, the rules behind what was clicked, and the accessible outcome list. */
export function TraceGraph({ node, result, pods, sourceLabel, vertical }: { node: string; result: TraceResult; pods: Record<string, PodRef>; sourceLabel: string; vertical?: boolean }) {
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const model = useMemo(() => buildGraph(result, { sourceLabel, podsByIp: pods, expanded }), [result, sourceLabel, pods, expanded]);
  const elements = useMemo(() => toCytoscape(model), [model]);
  const outcomes = useMemo(() => describeOutcomes(result, pods), [result, pods]);
  const onSelect = useCallback((id: string | null) => setSelected(id), []);
  const canvasLabel = useMemo(() => `Trace graph on ${node}: ${outcomes.map((o) => o.summary).join('; ')}`, [node, outcomes]);
  const selNode = model.nodes.find((n) => n.id === selected);
  const selEdge = model.edges.find((e) => e.id === selected);
  const toggle = (id: string) => setExpanded((xs) => (xs.includes(id) ? xs.filter((x) => x !== id) : [...xs, id]));
  return (
    <section className="card" aria-label={`trace on ${node}`} data-trace-node={node}>
      <h2>Node {node} <span className="badge">mode: {result.mode}</span></h2>
      {model.groups.map((g) => (
        <button key={g.id} className="secondary" onClick={() => toggle(g.id)}>
          {g.expanded ? `Collapse ${g.count} endpoints` : `Expand ${g.count} endpoints`}
        </button>
      ))}
      <GraphCanvas elements={elements} onSelect={onSelect} vertical={vertical} label={canvasLabel} />
      <RulePanel node={selNode} edge={selEdge} />
      <OutcomeList node={node} outcomes={outcomes} />
      {result.notes.length > 0 && <><h3>Notes</h3><ul>{result.notes.map((n) => <li key={n}>{n}</li>)}</ul></>}
      {result.warnings.length > 0 && <><h3>Warnings</h3><ul>{result.warnings.map((n) => <li key={n} className="badge warn">{n}</li>)}</ul></>}
      <LazyDetails summary={`Chains and edges as text (${model.nodes.length} nodes, ${model.edges.length} edges)`}>
        {() => (
          <ul aria-label={`graph elements on ${node}`}>
            {model.nodes.map((n) => <li key={n.id}><button className="secondary" onClick={() => setSelected(n.id)}>{n.label.replace(/\n/g, ' ')}</button> <span className="muted">{n.kind}{n.via ? ` (${n.via} drawn inside)` : ''}</span></li>)}
          </ul>
        )}
      </LazyDetails>
    </section>
  );
}
