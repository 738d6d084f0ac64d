/** Cytoscape styles as data. Labels come from `data(label)`: drawn as canvas text, never HTML. */
import type cytoscape from 'cytoscape';
import type { StylesheetJson } from 'cytoscape';

const ROUTE_EXTRA = { w: 30, h: 14 };

/**
 * The drawn box of a node from its data, as the rules below size it, plus room for the widest
 * border (group nodes: 4px). The layered layout spaces boxes with this, so keep the two together.
 */
export function nodeBox(data: Record<string, unknown>): { w: number; h: number } {
  const w = typeof data.w === 'number' ? data.w : 30;
  const h = typeof data.h === 'number' ? data.h : 30;
  const extra = data.kind === 'route' ? ROUTE_EXTRA : { w: 0, h: 0 };
  return { w: w + extra.w + 4, h: h + extra.h + 4 };
}

export const graphStylesheet: StylesheetJson = [
  {
    selector: 'node',
    style: {
      // Labels below ~5 screen pixels are unreadable anyway; skipping them keeps a fitted 1500-node graph cheap to paint.
      label: 'data(label)',
      'text-wrap': 'wrap',
      'text-max-width': '220px',
      'font-size': 11,
      'min-zoomed-font-size': 5,
      'text-valign': 'center',
      'text-halign': 'center',
      shape: 'round-rectangle',
      width: 'data(w)',
      height: 'data(h)',
      'background-color': '#e8eef7',
      'border-width': 1,
      'border-color': '#8aa2c8',
      color: '#1b1f24',
    },
  },
  { selector: 'node.source', style: { 'background-color': '#12263f', color: '#fff', 'border-color': '#12263f' } },
  { selector: 'node.hook', style: { 'background-color': '#dde3ea', 'border-color': '#6b7785', 'font-weight': 'bold' } },
  {
    selector: 'node.route',
    style: {
      shape: 'round-diamond',
      width: (n: cytoscape.NodeSingular) => (n.data('w') as number) + ROUTE_EXTRA.w,
      height: (n: cytoscape.NodeSingular) => (n.data('h') as number) + ROUTE_EXTRA.h,
      'background-color': '#f1ecf9',
      'border-color': '#8a6fc2',
    },
  },
  { selector: 'node.ipvs', style: { 'background-color': '#fff1d6', 'border-color': '#c08a1e' } },
  // Success colour (green) only where the client gets an answer; an endpoint nothing answers at is not a success.
  { selector: 'node.endpoint', style: { 'background-color': '#eef1f4', 'border-color': '#6b7785' } },
  { selector: 'node.endpoint.answer-delivered', style: { 'background-color': '#e6f4ea', 'border-color': '#1a7f37' } },
  {
    selector: 'node.group',
    style: { 'background-color': '#eef1f4', 'border-color': '#6b7785', 'border-style': 'double', 'border-width': 4 },
  },
  { selector: 'node.group.answer-delivered', style: { 'background-color': '#d3efdc', 'border-color': '#1a7f37' } },
  // An expanded fan-out: a frame drawn under its tiles (the layout sized it), its label on top.
  {
    selector: 'node.group.open',
    style: {
      'background-color': '#f3faf5',
      'border-width': 1,
      'border-style': 'solid',
      'text-valign': 'top',
      'text-wrap': 'none',
      'font-weight': 'bold',
      'font-size': 'data(fontSize)',
      'z-index': 0,
    },
  },
  {
    selector:
      'node.endpoint.answer-unanswered, node.group.answer-unanswered, node.endpoint.answer-mixed, node.group.answer-mixed',
    style: { 'background-color': '#fff4d6', 'border-color': '#9a6700', 'border-width': 2 },
  },
  {
    selector: 'node.group.open.answer-unanswered, node.group.open.answer-mixed',
    style: { 'background-color': '#fffaf0' },
  },
  {
    selector: 'node.stale',
    style: { 'background-color': '#fde8e7', 'border-color': '#b3261e', 'border-style': 'dashed', 'border-width': 2 },
  },
  {
    selector: 'node.verdict',
    style: {
      shape: 'octagon',
      'background-color': '#b3261e',
      color: '#fff',
      'border-color': '#7a1712',
      'font-weight': 'bold',
    },
  },
  { selector: 'node.masq', style: { 'border-style': 'dashed', 'border-width': 2 } },
  {
    selector: 'edge',
    style: {
      label: 'data(label)',
      'font-size': 10,
      'min-zoomed-font-size': 5,
      width: 1.5,
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'line-color': '#8a96a3',
      'target-arrow-color': '#8a96a3',
      'text-background-color': '#fbfcfd',
      'text-background-opacity': 1,
      'text-background-padding': '2px',
    },
  },
  {
    selector: 'edge.flow',
    style: { 'line-style': 'dashed', 'line-color': '#4b5563', 'target-arrow-color': '#4b5563' },
  },
  { selector: 'edge.dnat', style: { 'line-color': '#1a7f37', 'target-arrow-color': '#1a7f37', width: 2 } },
  { selector: 'edge.verdict', style: { 'line-color': '#b3261e', 'target-arrow-color': '#b3261e', width: 2 } },
  { selector: 'edge.masq', style: { 'line-color': '#9a6700', 'target-arrow-color': '#9a6700' } },
  // A DNAT edge is green only when it leads to an answer.
  {
    selector:
      'edge.dnat.answer-unanswered, edge.dnat.answer-mixed, edge.accept.answer-unanswered, edge.accept.answer-mixed',
    style: { 'line-color': '#9a6700', 'target-arrow-color': '#9a6700', 'line-style': 'dashed' },
  },
  {
    selector: 'edge.answer-dropped, edge.answer-rejected',
    style: { 'line-color': '#b3261e', 'target-arrow-color': '#b3261e' },
  },
  // No parallel edges in a trace graph, so straight lines look the same as bezier and cost less.
  { selector: 'edge.dense', style: { label: '', 'curve-style': 'straight' } },
  {
    selector: ':selected',
    style: { 'border-width': 3, 'border-color': '#1f5fbf', 'line-color': '#1f5fbf', 'target-arrow-color': '#1f5fbf' },
  },
];
