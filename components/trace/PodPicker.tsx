/**
 * "From which pod?": the question "Trace this ClusterIP" asks before it traces. A plain GET form
 * over the snapshot's pods (grouped by node), so the choice lands in the URL (`src=pod:ns/name`)
 * and the pod decides the node; the rest of the question rides along unchanged.
 */
export interface PickerPod {
  ref: string; // "ns/name"
  node?: string;
  ip?: string;
}

export const MAX_PICKER_PODS = 2000;

export function PodPicker({
  pods,
  keep,
  selected,
  nodes,
  total,
}: {
  pods: PickerPod[];
  keep: Record<string, string>;
  selected?: string;
  nodes: string[];
  total: number;
}) {
  const byNode = new Map<string, PickerPod[]>();
  for (const p of pods)
    (byNode.get(p.node ?? '(no node)') ?? byNode.set(p.node ?? '(no node)', []).get(p.node ?? '(no node)')!).push(p);
  return (
    <form method="get" action="/trace" className="card row" aria-label="from which pod">
      {Object.entries(keep).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label className="field">
        From which pod? (its node is where the packet starts)
        <select name="src" defaultValue={selected ?? ''} required aria-label="source pod">
          <option value="" disabled>
            pick a pod…
          </option>
          {[...byNode].map(([node, ps]) => (
            <optgroup key={node} label={`on ${node}`}>
              {ps.map((p) => (
                <option key={p.ref} value={`pod:${p.ref}`}>
                  {p.ref}
                  {p.ip ? ` (${p.ip})` : ''}
                </option>
              ))}
            </optgroup>
          ))}
          <optgroup label="a node itself">
            {nodes.map((n) => (
              <option key={n} value={`node:${n}`}>
                node {n}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <button type="submit">Trace from this pod</button>
      {total > pods.length && (
        <span className="muted">
          {total - pods.length} more pods: type <code>pod:namespace/name</code> as the source below.
        </span>
      )}
    </form>
  );
}
