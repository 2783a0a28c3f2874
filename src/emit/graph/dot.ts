import type { Report } from '../../report.js';
import { reportGraph } from './from-report.js';
import { nodeLines, type ComputationalGraph, type GraphNode } from './model.js';

/**
 * Graphviz source for the computational graph (`--format dot`): `dot -Tsvg` draws it. Inputs at the
 * bottom, f at the top, as the notes draw it (rankdir=BT); each node shows its operation and shape
 * (and, at a point, its value and gradient), each edge the adjoint flowing back along it, in red.
 */

/** A DOT double-quoted string: only `"` and `\` are special, and a line break must be `\n`. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n')}"`;
}

const SHAPE_OF: Record<GraphNode['role'], string> = {
  input: 'ellipse',
  constant: 'plaintext',
  operation: 'box',
  collapsed: 'box3d',
};

/** `--format dot`: f's computational graph as Graphviz source (`dot -Tsvg`); adjoints on the edges with --steps, numbers with --at. */
export function formatDot(report: Report): string {
  return graphToDot(reportGraph(report));
}

export function graphToDot(graph: ComputationalGraph, title = 'f'): string {
  const out = [`digraph ${dotString(title)} {`, '  rankdir=BT;', '  node [fontname="DejaVu Sans", fontsize=11];', '  edge [fontname="DejaVu Sans", fontsize=9];'];
  if (graph.collapsedNote) out.push(`  label=${dotString(graph.collapsedNote)}; labelloc=b;`);
  for (const node of graph.nodes) {
    const attributes = [`label=${dotString(nodeLines(node).join('\n'))}`, `shape=${SHAPE_OF[node.role]}`, `tooltip=${dotString(node.expression)}`];
    if (node.id === graph.root) attributes.push('peripheries=2');
    out.push(`  ${node.id} [${attributes.join(', ')}];`);
  }
  for (const edge of graph.edges) {
    const attributes = edge.adjoint !== undefined ? ` [label=${dotString(edge.adjoint)}, fontcolor="#b22222"]` : '';
    out.push(`  ${edge.from} -> ${edge.to}${attributes};`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
