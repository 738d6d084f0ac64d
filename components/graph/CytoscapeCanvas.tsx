'use client';
import { useEffect, useRef } from 'react';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { graphStylesheet } from './graph-stylesheet';

// Extensions register once per module, not per render.
cytoscape.use(dagre);

export interface CanvasProps {
  elements: ElementDefinition[];
  /** Called with the id of a tapped node or edge (null when the background is tapped). */
  onSelect: (id: string | null) => void;
  label: string;
  /** Top-to-bottom layout (side-by-side comparisons are narrow); left-to-right otherwise. */
  vertical?: boolean;
}

/** Owns one cytoscape instance for its lifetime and feeds it new elements in a batch (Kiali pattern). */
export default function CytoscapeCanvas({ elements, onSelect, label, vertical = false }: CanvasProps) {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    const cy = cytoscape({ container: box.current, style: graphStylesheet, minZoom: 0.05, maxZoom: 3 });
    cy.on('tap', (e) => onSelectRef.current(e.target === cy ? null : (e.target.id() as string)));
    cyRef.current = cy;
    return () => {
      cyRef.current = null;
      cy.destroy();
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    const el = box.current;
    if (!cy || !el) return;
    el.dataset.graphReady = 'false';
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    const layout = cy.layout({ name: 'dagre', rankDir: vertical ? 'TB' : 'LR', nodeSep: 18, rankSep: 60, animate: false } as cytoscape.LayoutOptions);
    layout.one('layoutstop', () => {
      cy.fit(undefined, 20);
      // A designed hook for tests and the bench: the graph is laid out and drawn.
      requestAnimationFrame(() => {
        el.dataset.graphReady = 'true';
        el.dataset.nodeCount = String(cy.nodes().length);
        el.dataset.edgeCount = String(cy.edges().length);
      });
    });
    layout.run();
  }, [elements, vertical]);

  return <div ref={box} className="graph-canvas" role="img" aria-label={label} data-testid="trace-graph" />;
}
