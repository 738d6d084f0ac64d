import type { PathHop } from '@/lib/model/answer';
import type { TraceResult } from '@/lib/model/trace';

/** "node-2 → node-1": one lane per node the packet crosses, in order, each with what arrives there and how. */
export function PathLanes({ path, sourceNode }: { path: PathHop[]; sourceNode?: string }) {
  return (
    <ol className="lanes" aria-label="path across nodes" data-testid="path-lanes" role="list">
      {path.map((h, i) => (
        <li key={`${h.node}:${i}`} className={`lane${h.collected ? '' : ' not-collected'}`} data-lane={h.node} data-collected={String(h.collected)}>
          <strong>{i + 1}. {h.node}</strong>{h.node === sourceNode && i === 0 ? <span className="muted"> (source&apos;s node)</span> : null}
          <div className="mono">{h.arrives.src} → {h.arrives.dst}:{h.arrives.port}/{h.arrives.proto}</div>
          {h.via && <div className="muted">from {h.via.fromNode}{h.via.device ? ` via ${h.via.device}` : ''}{h.via.gateway ? ` gw ${h.via.gateway}` : ''}{h.via.route ? ` (route ${h.via.route})` : ''}</div>}
          {!h.collected && <div className="badge bad">not collected: the path stops here, nothing beyond is guessed</div>}
          {h.collected && <div className="muted">{h.steps.length} steps{h.outcomes.length ? ` · outcomes ${h.outcomes.map((o) => o + 1).join(', ')}` : ''}</div>}
        </li>
      ))}
    </ol>
  );
}

/**
 * The trace as one lane per node: the first node's lane is the outcomes' own steps; a later node's
 * lane is that node's steps for the outcomes that reach it (the packet as it arrives there).
 */
export function laneResults(result: TraceResult): { hop: PathHop; result: TraceResult }[] {
  const path = result.path ?? [];
  return path.map((hop, i) => {
    if (i === 0) return { hop, result };
    // Each outcome that reaches this node keeps its own end (endpoint, verdict, answer) in the lane.
    const reached = hop.collected ? hop.outcomes.map((k) => result.outcomes[k]).filter(Boolean) : [];
    return { hop, result: { ...result, packet: hop.arrives, node: hop.node, outcomes: reached.map((o) => ({ ...o, steps: hop.steps })), path: [hop] } };
  });
}
