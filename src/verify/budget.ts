import { dimSize } from '../term/dim-product.js';
import type { Kron } from '../differentiate/kronecker-form.js';
import * as T from '../term/factory.js';
import { childrenOf, type Dim, type Shape, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { checkGradient, type CheckReport, type CheckRequest } from './finite-difference.js';
import { chooseDimSizes } from './dim-sizes.js';

/**
 * The numeric check's budget. The check evaluates f and its derivatives a few dozen times, so what it
 * may spend is bounded per evaluation: above the budget (--dims X=10000x10000 is 10⁸ entries and 10¹²
 * flops per product), the check runs at smaller sizes of the same dimensions, or not at all — it never
 * allocates gigabytes.
 *
 * Shrinking is sound because a derivative is a formula in the shapes, not in their sizes: the same
 * terms with every dimension of size N replaced by a symbol d and d given a small size compute the
 * same formula, so a formula right at every size is right at N. The one way a size enters a term as
 * a number is the simplifier folding sum(𝟙) or tr(I) of a numeric size into a constant (n·m, n); a
 * constant that could be such a product keeps the sizes, and the check is skipped with a note.
 */
export const CHECK_BUDGET = {
  /** Multiply-adds of one evaluation of every term checked (a 10⁷ product takes ~20 ms here). */
  flops: 2e7,
  /** Entries of all values one evaluation holds (8 bytes each: 4·10⁶ is 32 MB). */
  entries: 4e6,
} as const;

/** A numeric dimension at most this large is kept as given; larger ones may be shrunk. */
const KEEP_AT_MOST = 7;

export interface Cost {
  flops: number;
  entries: number;
}

/** What one evaluation of the roots costs at these sizes (an estimate: products in the cheaper direction). */
export function evaluationCost(roots: readonly Term[], dimSizes: ReadonlyMap<string, number>, krons: readonly Kron[] = []): Cost {
  const size = (d: Dim) => (typeof d === 'number' ? d : (dimSize(d, dimSizes) ?? 1));
  const entriesOf = (s: Shape) => size(s[0]) * size(s[1]);
  let flops = 0;
  let entries = 0;
  for (const node of postOrder(roots)) {
    const n = entriesOf(node.shape);
    entries += n;
    flops += n;
    if (node.kind === 'mul') flops += chainFlops(node.factors.filter((f) => entriesOf(f.shape) > 1).map((f) => [size(f.shape[0]), size(f.shape[1])] as const));
    // An LU factorization, and for inv the n solves: n³ either way (the condition estimate adds another).
    else if (node.kind === 'inv' || node.kind === 'det' || node.kind === 'logdet') flops += 2 * size(childrenOf(node)[0]!.shape[0]) ** 3;
    else if (node.kind === 'mpow') flops += Math.log2(node.exponent + 1) * 2 * size(node.shape[0]) ** 3;
    else for (const child of childrenOf(node)) flops += entriesOf(child.shape);
  }
  for (const k of krons) {
    const [rows, cols] = kronSize(k, size);
    // A read-off compares J·vec(V): J itself is held, and the products of its factors cost rows·cols·inner.
    entries += rows * cols;
    flops += rows * cols * Math.max(rows, cols);
  }
  return { flops, entries };
}

/** The cost of a matrix chain, multiplied left to right or right to left, whichever is cheaper. */
function chainFlops(shapes: readonly (readonly [number, number])[]): number {
  if (shapes.length < 2) return 0;
  let left = 0;
  const rows = shapes[0]![0];
  for (let i = 1; i < shapes.length; i++) left += rows * shapes[i]![0] * shapes[i]![1];
  let right = 0;
  const cols = shapes[shapes.length - 1]![1];
  for (let i = shapes.length - 2; i >= 0; i--) right += shapes[i]![0] * shapes[i]![1] * cols;
  return Math.min(left, right);
}

function kronSize(k: Kron, size: (d: Dim) => number): [number, number] {
  const entries = (t: Term) => size(t.shape[0]) * size(t.shape[1]);
  switch (k.k) {
    case 'identity':
    case 'commutation': {
      const n = size(k.rows) * size(k.cols);
      return [n, n];
    }
    case 'matrix':
      return [size(k.t.shape[0]), size(k.t.shape[1])];
    case 'vec':
      return k.row ? [1, entries(k.t)] : [entries(k.t), 1];
    case 'kron':
      return [size(k.a.shape[0]) * size(k.b.shape[0]), size(k.a.shape[1]) * size(k.b.shape[1])];
    case 'diagvec':
      return [entries(k.t), entries(k.t)];
    case 'product': {
      const first = kronSize(k.factors[0]!, size);
      const last = kronSize(k.factors[k.factors.length - 1]!, size);
      return [first[0], last[1]];
    }
    case 'sum':
      return kronSize(k.terms[0]!, size);
    case 'scale':
      return kronSize(k.e, size);
  }
}

/** The report of a check that was not run: inconclusive, never passed. */
export function skippedCheck(reason: string, seed: number): CheckReport {
  return { status: 'inconclusive', relativeError: NaN, seed, sizes: {}, comparisons: 0, entrywise: false, attempts: 0, reason };
}

export function withinBudget(cost: Cost, factor = 1): boolean {
  return cost.flops <= factor * CHECK_BUDGET.flops && cost.entries <= factor * CHECK_BUDGET.entries;
}

/** How far past the budget a check at small sizes (nothing left to shrink) still runs. */
const SMALL_SIZES_FACTOR = 10;

/** How the check fits its budget: as given, at smaller sizes (with the terms rebuilt), or not at all. */
export type Fit =
  | { readonly kind: 'as-is' }
  | {
      readonly kind: 'shrunk';
      readonly term: (t: Term) => Term;
      readonly kron: (k: Kron) => Kron;
      readonly variables: Map<string, Shape>;
      readonly dimSizes: Map<string, number>;
      /** For the report: which sizes were checked in place of which. */
      readonly note: string;
    }
  | { readonly kind: 'skip'; readonly reason: string };

/**
 * Fits the check of `roots` (and read-off maps `krons`) over `variables` into CHECK_BUDGET: every
 * numeric dimension above KEEP_AT_MOST becomes a symbol with a small size when the terms at the given
 * sizes cost too much. The symbol is named after the size it stands for (N1000).
 */
export function fitCheck(
  roots: readonly Term[],
  variables: ReadonlyMap<string, Shape>,
  dimSizes: ReadonlyMap<string, number>,
  krons: readonly Kron[] = [],
): Fit {
  const cost = evaluationCost(roots, dimSizes, krons);
  if (withinBudget(cost)) return { kind: 'as-is' };
  const over = `one evaluation at the given sizes would take ${describe(cost)}, over the check's budget of ${describe(CHECK_BUDGET)}`;

  const large = new Set<number>();
  const note = (s: Shape) => {
    for (const d of s) if (typeof d === 'number' && d > KEEP_AT_MOST) large.add(d);
  };
  for (const shape of variables.values()) note(shape);
  for (const node of postOrder(roots)) note(node.shape);
  // Nothing to shrink: the sizes are already small and the cost is the expression's own size, which
  // --max-nodes bounds. Only far past the budget is the check given up.
  if (large.size === 0) return withinBudget(cost, SMALL_SIZES_FACTOR) ? { kind: 'as-is' } : { kind: 'skip', reason: `the check was not run: ${over}` };
  const suspect = sizeDerivedConstant(roots, large);
  if (suspect !== undefined) {
    return { kind: 'skip', reason: `the check was not run: ${over}, and the constant ${suspect} may stand for a size, so the terms cannot be checked at smaller sizes` };
  }

  const symbol = (d: number) => `N${d}`;
  const dimOf = (d: Dim): Dim => (typeof d === 'number' && large.has(d) ? symbol(d) : d);
  const shapeOf = (s: Shape): Shape => [dimOf(s[0]), dimOf(s[1])];
  const memo = new Map<Term, Term>();
  const term = (root: Term): Term => {
    for (const node of postOrder([root], (t) => !memo.has(t))) memo.set(node, rebuild(node, shapeOf, (c) => memo.get(c)!));
    return memo.get(root)!;
  };
  const kron = (k: Kron): Kron => generalizeKron(k, term, dimOf);
  const shrunkVariables = new Map([...variables].map(([name, shape]) => [name, shapeOf(shape)]));
  const order = [...dimSizes.keys(), ...[...large].sort((a, b) => a - b).map(symbol)];
  const sizes = chooseDimSizes(order);
  for (const [name, n] of dimSizes) sizes.set(name, n);
  const shrunkCost = evaluationCost(roots.map(term), sizes, krons.map(kron));
  if (!withinBudget(shrunkCost)) {
    return { kind: 'skip', reason: `the check was not run: even at smaller sizes one evaluation would take ${describe(shrunkCost)}, over the check's budget of ${describe(CHECK_BUDGET)}` };
  }
  const mapping = [...large].sort((a, b) => a - b).map((d) => `${d} → ${sizes.get(symbol(d))}`);
  return {
    kind: 'shrunk',
    term,
    kron,
    variables: shrunkVariables,
    dimSizes: sizes,
    note: `the numeric check ran at smaller sizes (${mapping.join(', ')}; ${over}); a derivative is a formula in the shapes, so the same formula checked at other sizes of the same dimensions holds at the given ones`,
  };
}

/** The same node with every shape generalized; leaves carry shapes, inner nodes take them from the children. */
function rebuild(node: Term, shapeOf: (s: Shape) => Shape, child: (t: Term) => Term): Term {
  switch (node.kind) {
    case 'var':
      return T.variable(node.name, shapeOf(node.shape));
    case 'zero':
      return T.zero(shapeOf(node.shape));
    case 'ones':
      return T.ones(shapeOf(node.shape));
    case 'eye':
      return T.eye(shapeOf(node.shape)[0]);
    case 'num':
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
    case 'op':
      return T.withChildren(node, childrenOf(node).map(child));
  }
}

function generalizeKron(k: Kron, term: (t: Term) => Term, dimOf: (d: Dim) => Dim): Kron {
  const again = (x: Kron) => generalizeKron(x, term, dimOf);
  switch (k.k) {
    case 'identity':
    case 'commutation':
      return { ...k, rows: dimOf(k.rows), cols: dimOf(k.cols) };
    case 'matrix':
    case 'diagvec':
    case 'vec':
      return { ...k, t: term(k.t) };
    case 'kron':
      return { k: 'kron', a: term(k.a), b: term(k.b) };
    case 'product':
      return { k: 'product', factors: k.factors.map(again) };
    case 'sum':
      return { k: 'sum', terms: k.terms.map(again) };
    case 'scale':
      return { k: 'scale', c: term(k.c), e: again(k.e) };
  }
}

/**
 * A constant of the terms that could have been folded from the sizes (n from tr(I), n·m from sum(𝟙),
 * or their reciprocals): an integer at least as large as the smallest shrunk size, divisible by one.
 */
function sizeDerivedConstant(roots: readonly Term[], large: ReadonlySet<number>): number | undefined {
  const smallest = Math.min(...large);
  for (const node of postOrder(roots)) {
    if (node.kind !== 'num' || node.value === 0) continue;
    for (const v of [Math.abs(node.value), 1 / Math.abs(node.value)]) {
      const rounded = Math.round(v);
      if (rounded >= smallest && Math.abs(v - rounded) <= 1e-9 * v && [...large].some((d) => rounded % d === 0)) return node.value;
    }
  }
  return undefined;
}

function describe(cost: Cost): string {
  return `${cost.flops.toExponential(1)} flops and ${cost.entries.toExponential(1)} entries`;
}

/** The gradient check within CHECK_BUDGET: as requested, at smaller sizes (with a note saying so), or skipped. */
export function budgetedCheck(request: CheckRequest): { report: CheckReport; note?: string } {
  const fit = fitCheck([request.f, ...request.gradients.values()], request.variables, request.dimSizes);
  if (fit.kind === 'skip') return { report: skippedCheck(fit.reason, request.seed) };
  if (fit.kind === 'as-is') return { report: checkGradient(request) };
  const gradients = new Map([...request.gradients].map(([name, g]) => [name, fit.term(g)]));
  const report = checkGradient({ ...request, f: fit.term(request.f), gradients, variables: fit.variables, dimSizes: fit.dimSizes });
  return { report, note: fit.note };
}
