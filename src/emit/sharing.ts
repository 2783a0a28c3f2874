import { childrenOf, opDeclaration, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';

/**
 * Choosing the shared subexpressions a printer names (ENGINE.md §4, "Sharing in the output"): a DAG
 * prints as a DAG, so a node referenced from several places prints once, as a definition, and by
 * name everywhere else. The text, ASCII and LaTeX printers use the same plan, so `T₁`, `T1` and
 * `T_{1}` are the same node; NumPy uses a lower threshold (below), so its `_t1` may differ.
 *
 * The policy:
 * - a node the caller names (`names`, e.g. Y for σ(WX)) is always defined under that name, even when
 *   it is used once; a name on a leaf is ignored (a variable already prints as its name);
 * - any other node is defined when it has ≥ 2 parents in the DAG (a root counts as one parent) and
 *   its printed size (below) is at least `minSize`;
 * - leaves, and transposes and negations of leaves, are never defined: `Aᵀ` or `−x` printed twice is
 *   shorter than a definition.
 *
 * The size of a node counts its leaves and operators as printed, a defined child counting as one
 * leaf: `Xb` is 3, `σ(WX)` 4, `Ax − y` 5. With the display threshold 4, `Xb`, `xᵀx` and `tr(X)` stay
 * inline while `σ(WX)`, `xᵀAx` and `Ax − y` get a name; an evaluator uses 2, so every repeated
 * computation is done once.
 */
export interface SharingOptions {
  /** Names the caller gives to nodes (user definitions): always used, even for a node used once. */
  readonly names?: ReadonlyMap<Term, string>;
  /**
   * false: no definitions at all, not even for user-named nodes (the output is a tree).
   * 'names': only the caller's names (a derivation step writes Y where the user wrote Y). Default true.
   */
  readonly share?: boolean | 'names';
  /** The smallest size worth a definition. Default DISPLAY_MIN_SIZE. */
  readonly minSize?: number;
  /** Nodes never given a definition (code: a node that depends on a variable columns(B, V) binds). */
  readonly unshared?: (t: Term) => boolean;
}

export interface SharedDefinition {
  readonly term: Term;
  /** The plain spelling: the caller's name, or T1, T2, … (printers restyle it: T₁, T_{1}, _t1). */
  readonly name: string;
  /** True when the name is the caller's. */
  readonly user: boolean;
}

export interface SharingPlan {
  /** Every distinct node below the roots, children before parents (the order printers compose in). */
  readonly order: readonly Term[];
  /** The defined nodes, children first, so each definition refers only to earlier ones. */
  readonly definitions: readonly SharedDefinition[];
  /** The position of a node in `order`, −1 for a term not below the roots. */
  readonly position: (term: Term) => number;
  /** The index in `definitions` of the node at each position of `order`, −1 where it is not defined. */
  readonly definitionAt: Int32Array;
}

/** The threshold for printed output: below it a repeated node is cheaper to print twice. */
export const DISPLAY_MIN_SIZE = 4;
/** The threshold for evaluated output: any repeated computation is worth a variable. */
export const EVALUATION_MIN_SIZE = 2;

export function isLeaf(term: Term): boolean {
  switch (term.kind) {
    case 'var':
    case 'num':
    case 'zero':
    case 'ones':
    case 'eye':
      return true;
    case 'add':
    case 'mul':
    case 'hmul':
    case 'hdiv':
    case 'transpose':
    case 'inv':
    case 'mpow':
    case 'epow':
    case 'fn':
    case 'trace':
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
    case 'inner':
    case 'diag':
    case 'diagm':
      return false;
    case 'op':
      // A dimension as a number (nrows) prints as one token, n: never worth a definition.
      return opDeclaration(term.op).shapeValue !== undefined;
  }
}

/** A leaf, or a transpose or negation of one: prints as one token, never worth a definition. */
export function isAtomic(term: Term): boolean {
  if (isLeaf(term)) return true;
  if (term.kind === 'transpose') return isLeaf(term.operand);
  if (term.kind === 'mul' && term.factors.length === 2) {
    const [sign, operand] = term.factors as [Term, Term];
    return sign.kind === 'num' && sign.value === -1 && (isLeaf(operand) || (operand.kind === 'transpose' && isLeaf(operand.operand)));
  }
  return false;
}

export function planSharing(roots: readonly Term[], options: SharingOptions = {}): SharingPlan {
  const order = postOrder(roots);
  const position = positionsOf(order);
  const definitions: SharedDefinition[] = [];
  const definitionAt = new Int32Array(order.length).fill(-1);
  const plan = { order, definitions, position, definitionAt };
  if (options.share === false) return plan;
  const names = options.names !== undefined && options.names.size > 0 ? options.names : undefined;
  const define = (i: number, definition: SharedDefinition): void => {
    definitionAt[i] = definitions.length;
    definitions.push(definition);
  };
  if (options.share === 'names') {
    // Only the caller's names: no counting, no sizes.
    if (names !== undefined) order.forEach((node, i) => {
      const userName = isLeaf(node) ? undefined : names.get(node);
      if (userName !== undefined) define(i, { term: node, name: userName, user: true });
    });
    return plan;
  }

  // Per-node counters live in arrays indexed by post-order position (positionsOf: no Map on large DAGs).
  const parents = new Int32Array(order.length);
  for (const node of order) for (const child of childrenOf(node)) parents[position(child)]!++;
  for (const root of roots) parents[position(root)]!++;

  const freshName = freshNames(order, names);
  const minSize = options.minSize ?? DISPLAY_MIN_SIZE;
  /** The size a node contributes to its parents: 1 once it is defined. */
  const weight = new Float64Array(order.length);
  order.forEach((node, i) => {
    let size = 1;
    const atomic = isAtomic(node);
    if (!atomic) for (const child of childrenOf(node)) size += weight[position(child)]!;
    weight[i] = size;
    if (isLeaf(node)) return;
    const userName = names?.get(node);
    if (userName !== undefined) {
      define(i, { term: node, name: userName, user: true });
      weight[i] = 1;
    } else if (parents[i]! >= 2 && !atomic && size >= minSize && !(options.unshared?.(node) ?? false)) {
      define(i, { term: node, name: freshName(), user: false });
      weight[i] = 1;
    }
  });
  return plan;
}

/**
 * Generated names T1, T2, … that avoid every variable and user name (NFKC folds T₁ onto T1). The
 * names taken are gathered at the first call: most plans define nothing.
 */
function freshNames(order: readonly Term[], names: ReadonlyMap<Term, string> | undefined): () => string {
  let taken: Set<string> | undefined;
  let counter = 0;
  return () => {
    if (taken === undefined) {
      taken = new Set<string>();
      for (const node of order) if (node.kind === 'var') taken.add(node.name.normalize('NFKC'));
      for (const name of names?.values() ?? []) taken.add(name.normalize('NFKC'));
    }
    let name: string;
    do name = `T${++counter}`;
    while (taken.has(name));
    return name;
  };
}

/** A plan's defined node by term: its index in `definitions`, −1 when it is not defined. */
export function definitionOf(plan: SharingPlan, term: Term): number {
  const i = plan.position(term);
  return i < 0 ? -1 : plan.definitionAt[i]!;
}

/**
 * Positions are kept in a table indexed by term id when the DAG's ids are dense enough (term ids are
 * never reused, so an id outside the DAG cannot alias one inside it): a Map keyed by term cost about a
 * microsecond per node on a 1 MB input's gradient (its hash table outgrows the caches). This many
 * slots per node at most, else a Map.
 */
const DENSE_IDS_PER_NODE = 64;
const DENSE_IDS_MIN = 1 << 12;

/** The position of each node of `order` (−1 for any other term). */
export function positionsOf(order: readonly Term[]): (term: Term) => number {
  let min = Infinity;
  let max = -Infinity;
  for (const node of order) {
    if (node.id < min) min = node.id;
    if (node.id > max) max = node.id;
  }
  const range = max - min + 1;
  if (order.length === 0 || range > DENSE_IDS_PER_NODE * order.length + DENSE_IDS_MIN) {
    const map = new Map<Term, number>();
    order.forEach((node, i) => map.set(node, i));
    return (term) => map.get(term) ?? -1;
  }
  // The position + 1, so that the zeroed table says "not in the DAG".
  const table = new Int32Array(range);
  for (let i = 0; i < order.length; i++) table[order[i]!.id - min] = i + 1;
  return (term) => {
    const k = term.id - min;
    return k >= 0 && k < range ? table[k]! - 1 : -1;
  };
}
