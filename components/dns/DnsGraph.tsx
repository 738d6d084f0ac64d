'use client';
import { GraphCanvas } from '@/components/graph/GraphCanvas';
import { useCallback, useMemo, useState } from 'react';
import { buildDnsGraph, dnsToCytoscape, type DnsGraphInput } from '@/lib/graph/dns-graph';

/** The lookup as a graph (cytoscape, created once and fed data) with a text panel for the clicked element. */
export function DnsGraph({ input }: { input: DnsGraphInput }) {
  const [selected, setSelected] = useState<string | null>(null);
  const model = useMemo(() => buildDnsGraph(input), [input]);
  const elements = useMemo(() => dnsToCytoscape(model), [model]);
  const onSelect = useCallback((id: string | null) => setSelected(id), []);
  const node = model.nodes.find((n) => n.id === selected);
  const edge = model.edges.find((e) => e.id === selected);
  const summary = `DNS lookup graph: ${model.nodes.filter((n) => n.kind === 'candidate').length} candidate names, answer ${model.nodes.find((n) => n.kind === 'answer')?.label ?? ''}`;
  return (
    <section className="card" aria-label="DNS lookup graph" data-dns-graph="">
      {/* Top to bottom: the search list is a chain, which reads (and fits) better as a column. */}
      <GraphCanvas elements={elements} onSelect={onSelect} label={summary} vertical />
      <p data-testid="dns-selected" className="mono">
        {node ? (
          node.label.replace(/\n/g, ' · ')
        ) : edge ? (
          `${edge.source} → ${edge.target}: ${edge.label}`
        ) : (
          <span className="muted">Click a box or an arrow to read it here.</span>
        )}
      </p>
      <details>
        <summary>
          Graph as text ({model.nodes.length} nodes, {model.edges.length} edges)
        </summary>
        <ul aria-label="DNS graph elements">
          {model.nodes.map((n) => (
            <li key={n.id}>
              <button className="secondary" onClick={() => setSelected(n.id)}>
                {n.label.replace(/\n/g, ' · ')}
              </button>{' '}
              <span className="muted">{n.kind}</span>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
