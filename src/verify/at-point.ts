import { isDimProduct, isDimSum } from '../term/dim-product.js';
import { diag, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import type { Point, PointValue } from '../shape/point.js';
import type { DerivativeBlock } from '../differentiate/read-off.js';
import type { Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { Dense } from './dense.js';
import { evaluateTerms, type EvalIssue } from './evaluate.js';

/**
 * Values at a point (`--at`): f and its derivatives evaluated at the values the user gave, as the
 * notes' worked examples give them ("at x = −2, y = 5, z = −4 the gradient is (−4, −4, 3)").
 *
 * Unlike the check's random draws, the point is the user's: nothing is redrawn. A value outside a
 * function's domain (log of a negative entry, a singular matrix under inv) has no answer, so it is a
 * problem the caller turns into an error naming the function; a point on a kink (relu at 0) has an
 * answer — one subgradient — which the caller states in a note.
 */

/** A value at the point: its size and its entries, row by row. */
export interface AtMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: readonly number[];
}

/** f and each result evaluated at the request's point (`at`). */
export interface AtValues {
  /** The point, as given (names canonical). */
  readonly point: ReadonlyMap<string, PointValue>;
  readonly f: AtMatrix;
  /**
   * One entry per result that has a value at the point: the gradient per variable (grad), the
   * Jacobian or Hessian matrix per block (jac, hess). `label` as the text answer prints it.
   */
  readonly results: readonly { readonly kind: 'gradient' | 'jacobian' | 'hessian'; readonly name: string; readonly label: string; readonly value: AtMatrix }[];
  /**
   * The value of every node of f and of the sweep's adjoints (grad, when the tape was recorded and
   * the graph is small enough to draw): the computational graph's numbers.
   */
  readonly nodes?: ReadonlyMap<Term, AtMatrix>;
}

/** Why there is no value at the point. */
export interface AtPointProblem {
  readonly kind: 'domain' | 'singular' | 'non-finite';
  readonly message: string;
  /** The node where it arose (the caller prints it). */
  readonly term: Term;
}

export interface AtPointResult {
  /** One value per term asked for, in order; empty when there is a problem. */
  readonly values: readonly Dense[];
  /** The first problem on the way to each value (deduplicated by node), in evaluation order. */
  readonly problems: readonly AtPointProblem[];
  /** Nodes evaluated on a kink: the derivative there is the subgradient the rules give. */
  readonly kinks: readonly Term[];
}

/** Which evaluation issues leave no value at all; the rest (ill-conditioned but solvable, underflow) do not. */
function problemOf(issue: EvalIssue): AtPointProblem | undefined {
  switch (issue.kind) {
    case 'domain':
      return { kind: 'domain', message: issue.message, term: issue.term };
    case 'non-finite':
      return { kind: 'non-finite', message: issue.message, term: issue.term };
    case 'ill-conditioned':
      // A singular matrix has no inverse; a merely ill-conditioned one still has a value to print.
      return issue.message.includes('singular') ? { kind: 'singular', message: issue.message, term: issue.term } : undefined;
    case 'kink':
    case 'underflow':
      return undefined;
  }
}

/** The point's values as the evaluator's matrices. */
export function pointValues(point: Point): Map<string, Dense> {
  return new Map([...point].map(([name, v]) => [name, new Dense(v.rows, v.cols, Float64Array.from(v.data))]));
}

/**
 * Sizes of symbolic dimensions read off the variables' values (a term may still say `n` where the
 * point fixes n = 3). The shape stage has already unified the point's sizes with the expression.
 */
export function pointDimSizes(terms: readonly Term[], point: Point): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const node of postOrder(terms)) {
    if (node.kind !== 'var') continue;
    const value = point.get(node.name);
    if (value === undefined) continue;
    const [rows, cols] = node.shape;
    // A product (m·p) or a sum (n+m) is sized by its symbols, read where they stand alone.
    if (typeof rows === 'string' && !isDimProduct(rows) && !isDimSum(rows)) sizes.set(rows, value.rows);
    if (typeof cols === 'string' && !isDimProduct(cols) && !isDimSum(cols)) sizes.set(cols, value.cols);
  }
  return sizes;
}

/** The variables of `terms` the point gives no value for, in order of first appearance. */
export function missingFromPoint(terms: readonly Term[], point: Point): string[] {
  const missing: string[] = [];
  for (const node of postOrder(terms)) {
    if (node.kind === 'var' && !point.has(node.name) && !missing.includes(node.name)) missing.push(node.name);
  }
  return missing;
}

/** Evaluates `terms` (f, then each derivative) at the point, with one shared memo. */
export function evaluateAtPoint(terms: readonly Term[], point: Point): AtPointResult {
  const ctx = { values: pointValues(point), dimSizes: pointDimSizes(terms, point) };
  const { values, issues } = evaluateTerms(terms, ctx, { collectIssues: true, kinkMargin: 0 });
  const problems: AtPointProblem[] = [];
  const kinks: Term[] = [];
  const seen = new Set<Term>();
  for (const issue of issues) {
    if (seen.has(issue.term)) continue;
    seen.add(issue.term);
    const problem = problemOf(issue);
    if (problem) problems.push(problem);
    else if (issue.kind === 'kink') kinks.push(issue.term);
  }
  return { values: problems.length > 0 ? [] : values, problems, kinks };
}

/** A result to evaluate at the point, with its place in the report. */
export interface AtTarget {
  readonly kind: 'gradient' | 'jacobian' | 'hessian';
  readonly name: string;
  readonly label: string;
  readonly term: Term;
}

/**
 * f and each target evaluated at the point, as the report carries them; a value outside a
 * function's domain is a diagnostic naming the node (printed by the caller's `print`), and a kink a
 * note. The point's names have been checked against f's variables (request.ts checkPointNames).
 */
export function valuesAtPoint(
  f: Term,
  targets: readonly AtTarget[],
  point: Point,
  print: (term: Term) => string,
): Result<{ values: AtValues; notes: string[] }> {
  const result = evaluateAtPoint([f, ...targets.map((t) => t.term)], point);
  const problem = result.problems[0];
  if (problem) return fail(diag('at/domain', {}, print(problem.term), problem.message));
  const matrix = (d: Dense): AtMatrix => ({ rows: d.rows, cols: d.cols, data: [...d.data] });
  const notes = result.kinks.map(
    (term) => `at the point, ${print(term)} is on a kink (not differentiable there): the value shown uses the subgradient the rules give`,
  );
  return ok({
    values: {
      point,
      f: matrix(result.values[0]!),
      results: targets.map((t, i) => ({ kind: t.kind, name: t.name, label: t.label, value: matrix(result.values[i + 1]!) })),
    },
    notes,
  });
}

/** Graphs larger than this are not evaluated node by node: a picture shows at most a few dozen. */
export const MAX_GRAPH_VALUES = 5_000;

/**
 * The value of every node under `roots` at the point (the graph's numbers), or undefined when there
 * are too many nodes or a node has no value (the caller has already reported f's own problems).
 */
export function nodeValuesAtPoint(roots: readonly Term[], point: Point): Map<Term, AtMatrix> | undefined {
  const nodes = postOrder(roots);
  if (nodes.length > MAX_GRAPH_VALUES) return undefined;
  const ctx = { values: pointValues(point), dimSizes: pointDimSizes(nodes, point) };
  const { values, issues } = evaluateTerms(nodes, ctx, { collectIssues: true, kinkMargin: 0 });
  if (issues.some((issue) => problemOf(issue) !== undefined)) return undefined;
  return new Map(nodes.map((node, i) => [node, { rows: values[i]!.rows, cols: values[i]!.cols, data: [...values[i]!.data] }]));
}

/**
 * What diff, jac and hess evaluate at a point: each matrix read off (a Jacobian, a Hessian). A
 * differential is linear in dX, so it has no single value; a block with no matrix says so in a note.
 */
export function atTargets(command: 'diff' | 'jac' | 'hess', blocks: readonly DerivativeBlock[], single: boolean, notes: string[], f: string): AtTarget[] {
  if (command === 'diff') {
    notes.push('at the point: dF is linear in the direction, so it has no single value there (jac gives the Jacobian matrix, grad the gradient)');
    return [];
  }
  const targets: AtTarget[] = [];
  for (const block of blocks) {
    const name = block.of === undefined || single ? block.wrt : `${block.of},${block.wrt}`;
    if (!block.matrix) {
      notes.push(`at the point: the ${command === 'jac' ? 'Jacobian' : 'Hessian'} for ${name} is not a matrix read off, so only its symbolic form is shown`);
      continue;
    }
    const label = command === 'jac' ? `∂${f}/∂${block.wrt}` : single ? `∇²${f}` : `∂²${f}/∂${block.of}∂${block.wrt}`;
    targets.push({ kind: command === 'jac' ? 'jacobian' : 'hessian', name, label, term: block.matrix });
  }
  return targets;
}

