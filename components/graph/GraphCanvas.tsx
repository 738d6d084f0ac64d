'use client';
import { useSyncExternalStore, type ComponentType } from 'react';
import type { CanvasProps } from './CytoscapeCanvas';

/**
 * The cytoscape canvas, loaded in the browser only (cytoscape needs a DOM). Not next/dynamic: its
 * loading fallback is a Suspense boundary, and even when the code is already here (it is preloaded
 * from the Service list) the first render suspends once, so React's reveal throttle held every
 * "Trace this ClusterIP" graph back by about 300 ms. Here a loaded module renders at once.
 */
let Canvas: ComponentType<CanvasProps> | undefined;
let failed: string | undefined;
let loading: Promise<unknown> | undefined;

/** Starts loading the canvas code (idempotent); pages call it early so the first graph does not wait. */
export function loadGraphCanvas(): Promise<unknown> {
  return (loading ??= import('./CytoscapeCanvas').then(
    (m) => {
      Canvas = m.default;
    },
    (e: unknown) => {
      // Shown in place of the graph; the next graph to mount tries again.
      failed = e instanceof Error ? e.message : String(e);
      loading = undefined;
    },
  ));
}

const subscribe = (changed: () => void) => {
  void loadGraphCanvas().then(changed);
  return () => {};
};
const state = () => (Canvas ? 'ready' : failed ? 'failed' : 'loading');

export function GraphCanvas(props: CanvasProps) {
  // The server and the hydration pass render the placeholder (no DOM, no mismatch); a client-side
  // navigation with the code loaded renders the canvas in the same pass.
  const now = useSyncExternalStore(subscribe, state, () => 'loading');
  if (now === 'ready' && Canvas) return <Canvas {...props} />;
  if (now === 'failed')
    return (
      <div className="graph-canvas error" role="alert">
        The graph code did not load ({failed}); the outcome list below still holds the whole answer. Reload to try
        again.
      </div>
    );
  return (
    <div className="graph-canvas" role="status">
      Loading graph…
    </div>
  );
}
