import type { Lane } from '@/lib/graph/lanes';

const MAX_ARRIVALS = 4;

/** "node-2 → node-1": one lane per node the packet crosses, in order, each with what arrives there and how. */
export function PathLanes({ lanes, sourceNode }: { lanes: Lane[]; sourceNode?: string }) {
  return (
    <ol className="lanes" aria-label="path across nodes" data-testid="path-lanes" role="list">
      {lanes.map((lane, i) => {
        const via = lane.hops.find((h) => h.via)?.via;
        const outcomes = [...new Set(lane.hops.flatMap((h) => h.outcomes))];
        return (
          <li
            key={lane.node}
            className={`lane${lane.collected ? '' : ' not-collected'}`}
            data-lane={lane.node}
            data-collected={String(lane.collected)}
          >
            <strong>
              {i + 1}. {lane.node}
            </strong>
            {lane.node === sourceNode && i === 0 ? <span className="muted"> (the source&apos;s node)</span> : null}
            {lane.hops.slice(0, MAX_ARRIVALS).map((h, j) => (
              <div key={j} className="mono">
                {h.arrives.src} → {h.arrives.dst}:{h.arrives.port}/{h.arrives.proto}
              </div>
            ))}
            {lane.hops.length > MAX_ARRIVALS && (
              <div className="muted">and {lane.hops.length - MAX_ARRIVALS} more packets</div>
            )}
            {via && (
              <div className="muted">
                from {via.fromNode}
                {via.device ? ` via ${via.device}` : ''}
                {via.gateway ? ` gw ${via.gateway}` : ''}
              </div>
            )}
            {!lane.collected && (
              <div className="badge bad">not collected: the path stops here, nothing beyond is guessed</div>
            )}
            <div className="muted">{outcomes.length} of the outcomes cross it</div>
          </li>
        );
      })}
    </ol>
  );
}
