/** Cytoscape styles as data. Labels come from `data(label)`: drawn as canvas text, never HTML. */
import type cytoscape from 'cytoscape';
import type { StylesheetJson } from 'cytoscape';

export const graphStylesheet: StylesheetJson = [
  { selector: 'node', style: {
    label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': '220px', 'font-size': 11, 'text-valign': 'center', 'text-halign': 'center',
    shape: 'round-rectangle', width: 'data(w)', height: 'data(h)', 'background-color': '#e8eef7', 'border-width': 1, 'border-color': '#8aa2c8', color: '#1b1f24',
  } },
  { selector: 'node.source', style: { 'background-color': '#12263f', color: '#fff', 'border-color': '#12263f' } },
  { selector: 'node.hook', style: { 'background-color': '#dde3ea', 'border-color': '#6b7785', 'font-weight': 'bold' } },
  { selector: 'node.route', style: { shape: 'round-diamond', width: (n: cytoscape.NodeSingular) => (n.data('w') as number) + 30, height: (n: cytoscape.NodeSingular) => (n.data('h') as number) + 14, 'background-color': '#f1ecf9', 'border-color': '#8a6fc2' } },
  { selector: 'node.ipvs', style: { 'background-color': '#fff1d6', 'border-color': '#c08a1e' } },
  { selector: 'node.endpoint', style: { 'background-color': '#e6f4ea', 'border-color': '#1a7f37' } },
  { selector: 'node.group', style: { 'background-color': '#d3efdc', 'border-color': '#1a7f37', 'border-style': 'double', 'border-width': 4 } },
  { selector: 'node.verdict', style: { shape: 'octagon', 'background-color': '#b3261e', color: '#fff', 'border-color': '#7a1712', 'font-weight': 'bold' } },
  { selector: 'node.masq', style: { 'border-style': 'dashed', 'border-width': 2 } },
  { selector: 'edge', style: {
    label: 'data(label)', 'font-size': 10, width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#8a96a3', 'target-arrow-color': '#8a96a3',
    'text-background-color': '#fbfcfd', 'text-background-opacity': 1, 'text-background-padding': '2px',
  } },
  { selector: 'edge.flow', style: { 'line-style': 'dashed', 'line-color': '#4b5563', 'target-arrow-color': '#4b5563' } },
  { selector: 'edge.dnat', style: { 'line-color': '#1a7f37', 'target-arrow-color': '#1a7f37', width: 2 } },
  { selector: 'edge.verdict', style: { 'line-color': '#b3261e', 'target-arrow-color': '#b3261e', width: 2 } },
  { selector: 'edge.masq', style: { 'line-color': '#9a6700', 'target-arrow-color': '#9a6700' } },
  { selector: ':selected', style: { 'border-width': 3, 'border-color': '#1f5fbf', 'line-color': '#1f5fbf', 'target-arrow-color': '#1f5fbf' } },
];
