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
import { PathLanes } from './PathLanes';
import { laneResults } from '@/lib/graph/lanes';
import { VerdictList, WhatIfBanner } from '@/components/trace/VerdictList';

/** One node's graph: the chains the packet crosses there, the rules behind what was clicked, the text list. */
function LaneGraph({
  node,
  result,
  pods,
  sourceLabel,
  vertical,
}: {
  node: string;
  result: TraceResult;
  pods: Record<string, PodRef>;
  sourceLabel: string;
  vertical?: boolean;
}) {
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const model = useMemo(
    () => buildGraph(result, { sourceLabel, podsByIp: pods, expanded }),
    [result, sourceLabel, pods, expanded],
  );
  const elements = useMemo(() => toCytoscape(model), [model]);
  const outcomes = useMemo(() => describeOutcomes(result, pods), [result, pods]);
  const onSelect = useCallback((id: string | null) => setSelected(id), []);
  const canvasLabel = useMemo(
    () => `Trace graph on ${node}: ${outcomes.map((o) => o.sentence ?? o.summary).join('; ')}`,
    [node, outcomes],
  );
  const selNode = model.nodes.find((n) => n.id === selected);
  const selEdge = model.edges.find((e) => e.id === selected);
  const toggle = (id: string) => setExpanded((xs) => (xs.includes(id) ? xs.filter((x) => x !== id) : [...xs, id]));
  return (
    <div data-lane-graph={node}>
      {model.groups.map((g) => (
        <button key={g.id} className="secondary" onClick={() => toggle(g.id)}>
          {g.expanded ? `Collapse ${g.count} endpoints` : `Expand ${g.count} endpoints`}
        </button>
      ))}
      <GraphCanvas elements={elements} onSelect={onSelect} vertical={vertical} label={canvasLabel} />
      <RulePanel node={selNode} edge={selEdge} />
      <OutcomeList node={node} outcomes={outcomes} />
      <LazyDetails summary={`Chains and edges as text (${model.nodes.length} nodes, ${model.edges.length} edges)`}>
        {() => (
          <ul aria-label={`graph elements on ${node}`}>
            {model.nodes.map((n) => (
              <li key={n.id}>
                <button className="secondary" onClick={() => setSelected(n.id)}>
                  {n.label.replace(/\n/g, ' ')}
                </button>{' '}
                <span className="muted">
                  {n.kind}
                  {n.via ? ` (${n.via} drawn inside)` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </LazyDetails>
    </div>
  );
}

/**
 * One question's answer on one node: the verdict sentences first (no click needed), a what-if in
 * red when this is not the source's node, the path as one lane per node, then each lane's graph.
 */
export function TraceGraph({
  node,
  result,
  pods,
  sourceLabel,
  vertical,
  whatIf,
  sourceNode,
}: {
  node: string;
  result: TraceResult;
  pods: Record<string, PodRef>;
  sourceLabel: string;
  vertical?: boolean;
  whatIf?: string;
  sourceNode?: string;
}) {
  const lanes = useMemo(() => laneResults(result), [result]);
  const warnings = result.warnings.filter((w) => !whatIf || !w.includes(whatIf));
  return (
    <section
      className="card"
      aria-label={`trace on ${node}`}
      data-trace-node={node}
      data-what-if={whatIf ? 'true' : 'false'}
    >
      <h2>
        Node {node} <span className="badge">mode: {result.mode}</span>
      </h2>
      {whatIf && <WhatIfBanner text={whatIf} />}
      <VerdictList node={node} result={result} />
      {lanes.length > 1 && <PathLanes lanes={lanes} sourceNode={sourceNode} />}
      {lanes.length <= 1 ? (
        <LaneGraph node={node} result={result} pods={pods} sourceLabel={sourceLabel} vertical={vertical} />
      ) : (
        lanes.map((lane, i) => (
          <section
            key={lane.node}
            aria-label={`lane ${i + 1}: ${lane.node}`}
            data-lane-index={i}
            data-lane-node={lane.node}
          >
            <h3>
              Lane {i + 1}: {lane.node}
              {i === 0 ? ` (${sourceLabel})` : ` (the packet as it arrives from ${lanes[i - 1].node}, after DNAT)`}
            </h3>
            {lane.collected ? (
              <LaneGraph
                node={lane.node}
                result={lane.result}
                pods={pods}
                sourceLabel={i === 0 ? sourceLabel : `from ${lanes[i - 1].node}`}
                vertical={vertical}
              />
            ) : (
              <p className="badge bad">{lane.node} was not collected: the path stops here.</p>
            )}
          </section>
        ))
      )}
      {result.notes.length > 0 && (
        <>
          <h3>Notes</h3>
          <ul>
            {result.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
      {warnings.length > 0 && (
        <>
          <h3>Warnings</h3>
          <ul>
            {warnings.map((n) => (
              <li key={n} className="badge warn">
                {n}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
