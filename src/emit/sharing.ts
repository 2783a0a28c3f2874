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
  /** The index of each defined node in `definitions`. */
  readonly index: ReadonlyMap<Term, number>;
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
  const definitions: SharedDefinition[] = [];
  const index = new Map<Term, number>();
  if (options.share === false) return { order, definitions, index };

  // Per-node counters live in arrays indexed by post-order position: one Map lookup per edge.
  const position = new Map<Term, number>();
  order.forEach((node, i) => position.set(node, i));
  const parents = new Int32Array(order.length);
  const childPositions: (readonly number[])[] = order.map((node) => {
    const children = childrenOf(node).map((child) => position.get(child)!);
    for (const c of children) parents[c]!++;
    return children;
  });
  for (const root of roots) parents[position.get(root)!]!++;

  // Generated names avoid every variable and user name; NFKC folds T₁ onto T1.
  const taken = new Set<string>();
  for (const node of order) if (node.kind === 'var') taken.add(node.name.normalize('NFKC'));
  for (const name of options.names?.values() ?? []) taken.add(name.normalize('NFKC'));
  let counter = 0;
  const freshName = (): string => {
    let name: string;
    do name = `T${++counter}`;
    while (taken.has(name));
    return name;
  };

  const minSize = options.minSize ?? DISPLAY_MIN_SIZE;
  /** The size a node contributes to its parents: 1 once it is defined. */
  const weight = new Float64Array(order.length);
  order.forEach((node, i) => {
    let size = 1;
    if (!isAtomic(node)) for (const c of childPositions[i]!) size += weight[c]!;
    weight[i] = size;
    if (isLeaf(node)) return;
    const userName = options.names?.get(node);
    if (userName !== undefined) {
      index.set(node, definitions.length);
      definitions.push({ term: node, name: userName, user: true });
      weight[i] = 1;
    } else if (options.share !== 'names' && parents[i]! >= 2 && !isAtomic(node) && size >= minSize && !(options.unshared?.(node) ?? false)) {
      index.set(node, definitions.length);
      definitions.push({ term: node, name: freshName(), user: false });
      weight[i] = 1;
    }
  });
  return { order, definitions, index };
}
