import dagre from '@dagrejs/dagre';
import { escapeHtml } from '../escape.js';
import { clipLabel, nodeLines, type ComputationalGraph, type GraphNode } from './model.js';

/**
 * The computational graph as an SVG picture, laid out at write time by dagre (a maintained layered
 * layout library) so the HTML page stays one offline file with no script. Inputs at the bottom, f at
 * the top, as the notes draw it; each node its operation and shape (at a point, its value and its
 * gradient), each edge the adjoint flowing back along it.
 */

/** Text metrics without a browser: an average glyph width is close enough to size boxes. */
const CHAR_WIDTH = 7.2;
const LINE_HEIGHT = 16;
const PADDING = 10;

const COLOURS: Record<GraphNode['role'], { fill: string; stroke: string }> = {
  input: { fill: '#eef5ff', stroke: '#3b6fb6' },
  constant: { fill: '#ffffff', stroke: '#999999' },
  operation: { fill: '#ffffff', stroke: '#333333' },
  collapsed: { fill: '#f3f3f3', stroke: '#777777' },
};
function textWidth(lines: readonly string[]): number {
  return Math.max(...lines.map((line) => [...line].length)) * CHAR_WIDTH;
}

export function graphToSvg(graph: ComputationalGraph): string {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'BT', nodesep: 24, ranksep: 40, edgesep: 12, marginx: 12, marginy: 12 });
  const lines = new Map(graph.nodes.map((node) => [node.id, nodeLines(node)]));
  for (const node of graph.nodes) {
    const text = lines.get(node.id)!;
    g.setNode(node.id, { width: textWidth(text) + 2 * PADDING, height: text.length * LINE_HEIGHT + PADDING });
  }
  graph.edges.forEach((edge, i) => {
    const label = edge.adjoint === undefined ? undefined : clipLabel(edge.adjoint);
    g.setEdge(edge.from, edge.to, label === undefined ? {} : { width: textWidth([label]), height: LINE_HEIGHT, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(g);

  const { width = 0, height = 0 } = g.graph() as { width?: number; height?: number };
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="matcalc-graph" role="img" viewBox="0 0 ${round(width)} ${round(height + (graph.collapsedNote ? LINE_HEIGHT : 0))}" width="${round(width)}" height="${round(height + (graph.collapsedNote ? LINE_HEIGHT : 0))}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    '<defs><marker id="mc-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
  ];
  graph.edges.forEach((edge, i) => {
    const laid = g.edge({ v: edge.from, w: edge.to, name: `e${i}` }) as { points?: { x: number; y: number }[]; x?: number; y?: number };
    const points = (laid.points ?? []).map((p) => `${round(p.x)},${round(p.y)}`).join(' ');
    out.push(`<g class="edge" data-from="${edge.from}" data-to="${edge.to}"><polyline points="${points}" fill="none" stroke="#555" marker-end="url(#mc-arrow)"/>`);
    if (edge.adjoint !== undefined && laid.x !== undefined && laid.y !== undefined) {
      out.push(`<text class="adjoint" x="${round(laid.x)}" y="${round(laid.y + 4)}" text-anchor="middle" fill="#b22222" font-size="10">${escapeHtml(clipLabel(edge.adjoint))}</text>`);
    }
    out.push('</g>');
  });
  for (const node of graph.nodes) {
    const laid = g.node(node.id) as { x: number; y: number; width: number; height: number };
    const { fill, stroke } = COLOURS[node.role];
    const x = laid.x - laid.width / 2;
    const y = laid.y - laid.height / 2;
    const rx = node.role === 'input' ? laid.height / 2 : 4;
    out.push(`<g class="node ${node.role}" data-id="${node.id}"><title>${escapeHtml(node.expression)}</title>`);
    out.push(`<rect x="${round(x)}" y="${round(y)}" width="${round(laid.width)}" height="${round(laid.height)}" rx="${round(rx)}" fill="${fill}" stroke="${stroke}" stroke-width="${node.id === graph.root ? 2 : 1}"/>`);
    lines.get(node.id)!.forEach((line, k) => {
      const colour = k === 0 ? '#111' : line.startsWith('∂f') ? '#b22222' : '#2e7d32';
      out.push(`<text x="${round(laid.x)}" y="${round(y + PADDING / 2 + (k + 0.8) * LINE_HEIGHT)}" text-anchor="middle" fill="${colour}">${escapeHtml(line)}</text>`);
    });
    out.push('</g>');
  }
  if (graph.collapsedNote) out.push(`<text x="12" y="${round(height + LINE_HEIGHT - 4)}" fill="#555" font-size="11">${escapeHtml(graph.collapsedNote)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
