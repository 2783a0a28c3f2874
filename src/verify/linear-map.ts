import type { Kron } from '../differentiate/kronecker-form.js';
import * as T from '../term/factory.js';
import { isScalar, type Shape, type Term } from '../term/term.js';
import * as dense from './dense.js';
import { Dense } from './dense.js';
import { evaluateTerms } from './evaluate.js';
import { checkGradientAtSizes, type CheckReport } from './finite-difference.js';
import { createRng, deriveSeed } from './random.js';
import { drawInputs, resolveDim, type Property } from './sample.js';

/**
 * Checks of what the forward sweep produces, by the gradient check's machinery (finite-difference.ts)
 * so that every derivative goes through the same honest tests (domains, kinks, Richardson,
 * "inconclusive" instead of a false pass), and by numbers alone: the checker runs no part of the
 * engine it checks (no sweep, no rules).
 * - a differential D = dF[dX] of any shape: with a random weight W of F's shape, ⟨W, D[V]⟩ evaluated
 *   at dX = V must match central differences of ⟨W, F⟩ at X ± hV, for random W, X and directions V
 *   (and every unit direction when X is small).
 * - a matrix read off D (a Jacobian, a Hessian, a Kronecker form) is compared with D itself, exactly:
 *   J·vec(V) = vec(D[V]) for random V, to rounding.
 */

export interface DifferentialCheckRequest {
  /** The function whose differential is checked (a gradient, for a Hessian). */
  readonly f: Term;
  /** Its differential, linear in `direction`. */
  readonly differential: Term;
  /** The variable the direction belongs to. */
  readonly variable: string;
  readonly direction: Term;
  readonly variables: ReadonlyMap<string, Shape>;
  readonly assumptions: ReadonlyMap<string, ReadonlySet<Property>>;
  readonly dimSizes: ReadonlyMap<string, number>;
  readonly seed: number;
}

const WEIGHT = '§W';

export function checkDifferential(request: DifferentialCheckRequest): CheckReport {
  const { f, differential, direction, variable } = request;
  if (direction.kind !== 'var') throw new Error('checkDifferential: the direction must be a variable');
  const variables = new Map(request.variables);
  // The check sets the direction itself, to each V in turn: it is not an input to draw.
  variables.delete(direction.name);
  let scalarF = f;
  let scalarD = differential;
  if (!isScalar(f)) {
    const w = T.variable(WEIGHT, f.shape);
    variables.set(WEIGHT, f.shape);
    scalarF = T.inner(w, f);
    scalarD = T.inner(w, differential);
  }
  // At the request's sizes only: a block's check retries its differential and read-off together (derivative-check.ts).
  return checkGradientAtSizes({
    f: scalarF,
    gradients: new Map(),
    directional: new Map([[variable, { along: scalarD, direction: direction.name }]]),
    variables,
    assumptions: request.assumptions,
    dimSizes: request.dimSizes,
    seed: request.seed,
  });
}

export interface ReadOffCheckRequest {
  readonly differential: Term;
  readonly direction: Term;
  /** The matrix: a core term (m×n) or a vec-Jacobian. */
  readonly matrix: Term | Kron;
  /** Denominator layout: the matrix is Jᵀ. */
  readonly transposed: boolean;
  readonly variables: ReadonlyMap<string, Shape>;
  readonly assumptions: ReadonlyMap<string, ReadonlySet<Property>>;
  readonly dimSizes: ReadonlyMap<string, number>;
  readonly seed: number;
}

/** Relative error of J·vec(V) against vec(D[V]) over a few random V; undefined if no input could be evaluated. */
/** The worst ‖A‖‖A⁻¹‖ of an inverted matrix at a draw the read-off is compared at (as the gradient check). */
const READ_OFF_CONDITION_LIMIT = 1e4;

/**
 * The read-off passes below this relative error. Both sides are exact formulas (no finite
 * differences), so a wrong matrix is off by O(1); this leaves room for the rounding of nested
 * inverses at condition numbers up to READ_OFF_CONDITION_LIMIT.
 */
export const READ_OFF_TOLERANCE = 1e-6;

export function readOffError(request: ReadOffCheckRequest): number | undefined {
  const { differential, direction, dimSizes } = request;
  if (direction.kind !== 'var') throw new Error('readOffError: the direction must be a variable');
  for (let attempt = 0; attempt < 4; attempt++) {
    const rng = createRng(deriveSeed(request.seed, 1000 + attempt));
    const values = drawInputs(request.variables, request.assumptions, dimSizes, rng, attempt);
    const ctx = { values, dimSizes };
    let worst = 0;
    let ok = true;
    for (let trial = 0; trial < 3 && ok; trial++) {
      const rows = resolveDim(direction.shape[0], dimSizes);
      const cols = resolveDim(direction.shape[1], dimSizes);
      const v = new Dense(rows, cols);
      for (let i = 0; i < v.data.length; i++) v.data[i] = rng.normal();
      values.set(direction.name, v);
      // Draws where an inverse is ill-conditioned are skipped, as the gradient check skips them: the
      // two sides are computed along different paths, and their rounding grows with the condition.
      const { values: [d], issues } = evaluateTerms([differential], ctx, { conditionLimit: READ_OFF_CONDITION_LIMIT });
      let j: Dense;
      try {
        j = isKron(request.matrix) ? evaluateKron(request.matrix, ctx) : evaluateTerms([request.matrix], ctx, { collectIssues: false }).values[0]!;
      } catch {
        ok = false;
        break;
      }
      // dF/dx of F's shape for a scalar x (a matrix F): its vec is the Jacobian, in either layout.
      if (v.data.length === 1 && d!.cols !== 1 && d!.rows !== 1 && j.rows === d!.rows && j.cols === d!.cols) j = vec(j);
      else if (request.transposed) j = dense.transpose(j);
      if (issues.length > 0 || !dense.allFinite(d!) || !dense.allFinite(j)) {
        ok = false;
        break;
      }
      // A matrix of the wrong size is a wrong read-off: a failure to report, not a crash.
      if (j.cols !== v.rows * v.cols || j.rows !== d!.rows * d!.cols) return Number.POSITIVE_INFINITY;
      const applied = dense.matmul(j, vec(v));
      const expected = vec(d!);
      // Both sides may cancel to rounding noise (⟨Y, Y⁻¹⟩ is constant): measure the error against the
      // size of the terms before they cancel, not against the (near-zero) result.
      const scale = Math.max(dense.maxAbs(expected), dense.maxAbs(applied), partsMagnitude(differential, direction, ctx), 1e-300);
      worst = Math.max(worst, dense.maxAbs(dense.subtract(applied, expected)) / scale);
    }
    if (ok) return worst;
  }
  return undefined;
}

/**
 * The size of the differential before any cancellation: the largest |value| of its subterms that
 * depend on the direction (each is linear in it), e.g. both ⟨Y, T⟩ and ⟨T₁, YTY⟩ in their difference.
 */
function partsMagnitude(
  differential: Term,
  direction: Term,
  ctx: { values: ReadonlyMap<string, Dense>; dimSizes: ReadonlyMap<string, number> },
): number {
  if (direction.kind !== 'var') return 0;
  const memo = new Map<Term, Dense>();
  evaluateTerms([differential], ctx, { collectIssues: false, memoOut: memo });
  let magnitude = 0;
  const dependent = T.dependencyTest([direction.name]);
  for (const [term, value] of memo) {
    // The direction itself (and its transpose) has the size of V, not of the derivative.
    if (!dependent(term) || term === direction || (term.kind === 'transpose' && term.operand === direction)) continue;
    const m = dense.maxAbs(value);
    if (Number.isFinite(m)) magnitude = Math.max(magnitude, m);
  }
  return magnitude;
}

function isKron(m: Term | Kron): m is Kron {
  return 'k' in m;
}

/** vec(A): the columns of A stacked. */
export function vec(a: Dense): Dense {
  const out = new Dense(a.rows * a.cols, 1);
  for (let j = 0; j < a.cols; j++) for (let i = 0; i < a.rows; i++) out.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return out;
}

export function kronecker(a: Dense, b: Dense): Dense {
  const out = new Dense(a.rows * b.rows, a.cols * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) {
      const s = a.data[i * a.cols + j]!;
      for (let k = 0; k < b.rows; k++)
        for (let l = 0; l < b.cols; l++) out.data[(i * b.rows + k) * out.cols + j * b.cols + l] = s * b.data[k * b.cols + l]!;
    }
  return out;
}

/** K with K·vec(A) = vec(Aᵀ) for A of shape m×n. */
export function commutation(m: number, n: number): Dense {
  const out = new Dense(m * n, m * n);
  // vec(A)[j·m + i] = A[i, j]; vec(Aᵀ)[i·n + j] = A[i, j].
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.data[(i * n + j) * (m * n) + (j * m + i)] = 1;
  return out;
}

export function evaluateKron(e: Kron, ctx: { values: ReadonlyMap<string, Dense>; dimSizes: ReadonlyMap<string, number> }): Dense {
  const term = (t: Term) => evaluateTerms([t], ctx, { collectIssues: false }).values[0]!;
  switch (e.k) {
    case 'identity':
      return dense.identity(resolveDim(e.rows, ctx.dimSizes) * resolveDim(e.cols, ctx.dimSizes));
    case 'matrix':
      return term(e.t);
    case 'vec': {
      const v = vec(term(e.t));
      return e.row ? dense.transpose(v) : v;
    }
    case 'kron':
      return kronecker(term(e.a), term(e.b));
    case 'commutation':
      return commutation(resolveDim(e.rows, ctx.dimSizes), resolveDim(e.cols, ctx.dimSizes));
    case 'diagvec':
      return dense.diagm(vec(term(e.t)));
    case 'product':
      return e.factors.map((f) => evaluateKron(f, ctx)).reduce((a, b) => dense.matmul(a, b));
    case 'sum':
      return e.terms.map((f) => evaluateKron(f, ctx)).reduce((a, b) => dense.add(a, b));
    case 'scale':
      return dense.scale(evaluateKron(e.e, ctx), term(e.c).data[0]!);
  }
}

/** Folds several check reports into one: the worst status, the largest error, all comparisons. */
export function combineChecks(reports: readonly CheckReport[]): CheckReport | undefined {
  if (reports.length === 0) return undefined;
  const rank = { passed: 0, inconclusive: 1, failed: 2 } as const;
  let worst = reports[0]!;
  for (const r of reports) if (rank[r.status] > rank[worst.status]) worst = r;
  const errors = reports.map((r) => r.relativeError).filter((e) => Number.isFinite(e));
  return {
    ...worst,
    relativeError: errors.length === 0 ? NaN : Math.max(...errors),
    comparisons: reports.reduce((n, r) => n + r.comparisons, 0),
    entrywise: reports.every((r) => r.entrywise),
    attempts: Math.max(...reports.map((r) => r.attempts)),
  };
}
