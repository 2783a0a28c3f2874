import type { TapeEntry } from '../../differentiate/reverse-sweep.js';
import { childrenOf, shapeText, type Term } from '../../term/term.js';
import { postOrder } from '../../term/traverse.js';
import { TEXT_FUNCTIONS } from '../text.js';

/**
 * The computational graph as the notes draw it (issue 18): f's DAG as matcalc sees it, each
 * shared subexpression once, operations as nodes and operands as edges pointing up to their use.
 * Optional layers come from the other stages: the adjoint flowing back along each edge (the sweep's
 * tape: what a node passed to each operand) and, at a point, each node's forward value and gradient.
 * Printers (dot.ts, svg.ts) only lay out and draw this model.
 */

export interface GraphNode {
  /** Stable within one graph: n0, n1, … in post-order (operands before their uses). */
  readonly id: string;
  /** What the node does: an operator or a function name; a leaf's own text (x, 2, I). */
  readonly op: string;
  /** The node's whole expression, printed (for a hover title, and for leaves the label itself). */
  readonly expression: string;
  /** rows×cols, or 'scalar'. */
  readonly shape: string;
  /** The user's name for the node (a definition `q = Wx`), when it has one. */
  readonly name?: string;
  readonly role: 'input' | 'constant' | 'operation' | 'collapsed';
  /** Forward value at the point (--at), printed. */
  readonly value?: string;
  /** The gathered adjoint ∂f/∂node, printed; at a point, its value. */
  readonly gradient?: string;
  /** For a collapsed node: how many nodes it stands for. */
  readonly hidden?: number;
}

export interface GraphEdge {
  /** The operand. */
  readonly from: string;
  /** The node using it. */
  readonly to: string;
  /** The coefficient passed back along the edge (the tape), printed; at a point, its value. */
  readonly adjoint?: string;
}

export interface ComputationalGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** The root (f). */
  readonly root: string;
  /** Said when repeated structure was collapsed: what, and how many nodes. */
  readonly collapsedNote?: string;
}

export interface GraphOptions {
  /** Prints a term (the caller's notation; text by default is the caller's choice). */
  readonly print: (term: Term) => string;
  /** The user's definitions: node → name. */
  readonly names?: ReadonlyMap<Term, string>;
  /** The reverse sweep's tape, for the adjoints on edges and nodes. */
  readonly tape?: readonly TapeEntry[];
  /** Values at a point, printed, by term (forward values of f's nodes and of the tape's adjoints). */
  readonly valueAt?: (term: Term) => string | undefined;
  /** More nodes than this are collapsed (default 80): a picture of 10,000 nodes shows nothing. */
  readonly maxNodes?: number;
}

/** The operator a node draws, by kind: the notes' symbols. */
const OPERATOR: Partial<Record<Term['kind'], string>> = {
  add: '+',
  mul: '×',
  hmul: '⊙',
  hdiv: '⊘',
  transpose: 'ᵀ',
  inv: '⁻¹',
  epow: '.^',
  inner: '⟨·,·⟩',
  trace: 'tr',
  det: 'det',
  logdet: 'logdet',
  sum: 'sum',
  norm1: '‖·‖₁',
  norm2: '‖·‖',
  diag: 'diag',
  diagm: 'Diag',
};

function operatorOf(term: Term, print: (t: Term) => string): string {
  if (term.kind === 'fn') return TEXT_FUNCTIONS[term.fn] ?? term.fn; // σ, as the notes and the text answer write it
  if (term.kind === 'mpow') return `^${term.exponent}`;
  if (term.kind === 'op') return term.op;
  return OPERATOR[term.kind] ?? print(term);
}

function roleOf(term: Term): GraphNode['role'] {
  if (term.kind === 'var') return 'input';
  return childrenOf(term).length === 0 ? 'constant' : 'operation';
}

/** Builds the graph of `root`; past maxNodes, keeps the user's names and the nodes nearest f. */
export function buildGraph(root: Term, options: GraphOptions): ComputationalGraph {
  const order = postOrder([root]);
  const kept = keptNodes(root, order, options);
  const ids = new Map<Term, string>();
  const nodes: GraphNode[] = [];
  const tapeOf = new Map((options.tape ?? []).map((entry) => [entry.node, entry]));
  const show = (term: Term): string => options.valueAt?.(term) ?? options.print(term);

  for (const term of order) {
    if (!kept.has(term)) continue;
    const id = `n${nodes.length}`;
    ids.set(term, id);
    const entry = tapeOf.get(term);
    const name = options.names?.get(term);
    nodes.push({
      id,
      op: operatorOf(term, options.print),
      expression: options.print(term),
      shape: shapeText(term.shape),
      ...(name !== undefined ? { name } : {}),
      role: roleOf(term),
      ...(options.valueAt?.(term) !== undefined ? { value: options.valueAt(term)! } : {}),
      ...(entry ? { gradient: show(entry.adjoint) } : {}),
    });
  }

  const edges: GraphEdge[] = [];
  const collapsed = new Map<Term, { id: string; hidden: number }>();
  for (const term of order) {
    const to = ids.get(term);
    if (to === undefined) continue;
    const passed = tapeOf.get(term)?.contributions ?? [];
    // An operand used twice (x ⊙ x) is two edges, each with its own share of the adjoint.
    const used = new Map<Term, number>();
    for (const child of childrenOf(term)) {
      const k = used.get(child) ?? 0;
      used.set(child, k + 1);
      const from = ids.get(child) ?? collapsedNode(child, kept, collapsed, nodes, edges, ids, options).id;
      const share = passed.filter((c) => c.child === child)[k];
      edges.push({ from, to, ...(share ? { adjoint: show(share.coefficient) } : {}) });
    }
  }
  const hidden = order.length - kept.size;
  return {
    nodes,
    edges,
    root: ids.get(root)!,
    ...(hidden > 0 ? { collapsedNote: `${hidden} of ${order.length} nodes are collapsed into ${collapsed.size} boxes (more than ${options.maxNodes ?? DEFAULT_MAX_NODES} nodes)` } : {}),
  };
}

const DEFAULT_MAX_NODES = 80;

/**
 * The nodes drawn: all of them when they fit; otherwise f's nearest nodes in breadth-first order
 * from the root, always including the user's named definitions and the inputs (an L-layer network
 * then shows its layers H₁ … H_L and its weights, and each layer's inside becomes one box).
 */
function keptNodes(root: Term, order: readonly Term[], options: GraphOptions): Set<Term> {
  const limit = options.maxNodes ?? DEFAULT_MAX_NODES;
  if (order.length <= limit) return new Set(order);
  const kept = new Set<Term>();
  for (const term of order) if (term.kind === 'var' || options.names?.has(term)) kept.add(term);
  const queue: Term[] = [root];
  for (let i = 0; i < queue.length && kept.size < limit; i++) {
    const term = queue[i]!;
    kept.add(term);
    for (const child of childrenOf(term)) if (!kept.has(child)) queue.push(child);
  }
  kept.add(root);
  return kept;
}

/** One box standing for a subgraph that was not drawn (its nodes down to the next drawn ones). */
function collapsedNode(
  term: Term,
  kept: ReadonlySet<Term>,
  collapsed: Map<Term, { id: string; hidden: number }>,
  nodes: GraphNode[],
  edges: GraphEdge[],
  ids: ReadonlyMap<Term, string>,
  options: GraphOptions,
): { id: string; hidden: number } {
  const known = collapsed.get(term);
  if (known) return known;
  const inside = postOrder([term], (t) => !kept.has(t));
  const box = { id: `c${collapsed.size}`, hidden: inside.length };
  collapsed.set(term, box);
  nodes.push({ id: box.id, op: '…', expression: options.print(term), shape: shapeText(term.shape), role: 'collapsed', hidden: inside.length });
  // The drawn nodes the box uses (a layer's weights, the previous layer) still point into it.
  const operands = new Set<Term>();
  for (const node of inside) for (const child of childrenOf(node)) if (kept.has(child)) operands.add(child);
  for (const child of operands) edges.push({ from: ids.get(child)!, to: box.id });
  return box;
}

/** A label longer than this is cut (the whole expression stays in the node's <title>). */
const MAX_LABEL = 48;

export function clipLabel(text: string): string {
  const chars = [...text];
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : text;
}

/** The lines a node shows, first its operation (or name) with its shape. */
export function nodeLines(node: GraphNode): string[] {
  const head = node.role === 'collapsed' ? `… ${node.hidden} nodes` : node.name !== undefined ? `${node.name} = ${node.op}` : node.op;
  const lines = [node.role === 'constant' ? head : `${head}  ${node.shape}`];
  if (node.value !== undefined) lines.push(`= ${node.value}`);
  if (node.gradient !== undefined) lines.push(`∂f: ${node.gradient}`);
  return lines.map(clipLabel);
}
