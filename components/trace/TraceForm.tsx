import type { TraceQuery } from '@/lib/wire/trace-request';

export interface TraceFormOptions {
  nodes: { name: string; error?: string }[];
  pods: string[]; // "pod:ns/name"
}

/**
 * A plain GET form: submitting it puts the question in the URL, so every trace is shareable. The
 * source decides the node; picking another node is a what-if (the answer says so, in red).
 */
export function TraceForm({
  value,
  options,
}: {
  value: Partial<Record<keyof TraceQuery, string>>;
  options: TraceFormOptions;
}) {
  return (
    <form method="get" action="/trace" className="card row" aria-label="trace question">
      <label className="field">
        Source (pod, node or address)
        <input
          name="src"
          list="trace-sources"
          defaultValue={value.src ?? ''}
          placeholder="pod:default/web-0, node:node-a or 198.51.100.7"
          size={34}
          required
        />
        <datalist id="trace-sources">
          {options.nodes.map((n) => (
            <option key={n.name} value={`node:${n.name}`} />
          ))}
          {options.pods.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </label>
      <label className="field">
        Node (what-if)
        <select name="node" defaultValue={value.node ?? ''} aria-label="node">
          <option value="">the source decides (outside: every node that answers)</option>
          {options.nodes.map((n) => (
            <option key={n.name} value={n.name}>
              {n.name}
              {n.error ? ` (${n.error})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Destination IP
        <input name="dst" defaultValue={value.dst ?? ''} placeholder="10.96.0.10" size={18} required />
      </label>
      <label className="field">
        Port
        <input name="port" defaultValue={value.port ?? ''} placeholder="80" size={6} required />
      </label>
      <label className="field">
        Protocol
        <select name="proto" defaultValue={value.proto ?? 'tcp'}>
          <option value="tcp">tcp</option>
          <option value="udp">udp</option>
          <option value="sctp">sctp</option>
        </select>
      </label>
      <label className="field">
        Compare with node
        <select name="compare" defaultValue={value.compare ?? ''}>
          <option value="">(none)</option>
          {options.nodes.map((n) => (
            <option key={n.name} value={n.name}>
              {n.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Trace</button>
    </form>
  );
}
