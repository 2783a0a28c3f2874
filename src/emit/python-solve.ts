import { isScalar, type Term } from '../term/term.js';

/**
 * An inverse applied to a vector or matrix is a linear solve in the emitted Python, never
 * `inv(A) @ b`: LAPACK's solve (one LU with partial pivoting) has a backward error of a few ulps,
 * while forming A⁻¹ first multiplies b by a matrix already wrong in about cond(A)·ε of its entries,
 * which on an ill-conditioned A (cond ≈ 1e12) loses digits the solve keeps (measured in
 * test/emit-code/solve.test.ts). The forms, for a chain of matrix factors:
 *
 *   L @ inv(A) @ R    →  L @ solve(A, R)          (the leftmost inverse, R printed the same way)
 *   L @ inv(A).T @ R  →  L @ solve(A.T, R)
 *   L @ inv(A)        →  solve(A.T, L.T).T        (nothing to its right)
 *   L @ inv(A).T      →  solve(A, L.T).T
 *   inv(A)            →  inv(A)                   (the inverse itself, e.g. ∇ log det X = X⁻ᵀ)
 *
 * An inverse used several times is solved at each use, never factored once: NumPy has no LU
 * factorization of its own (scipy.linalg.lu_factor would make SciPy a dependency of every module),
 * and each solve costs what the explicit inverse it replaces cost, O(n³), so the saving would be a
 * constant factor while the digits are the point.
 */

/** The matrix of an inverse factor of a chain and whether the factor is its transpose; undefined for any other factor. */
export function inverseFactor(t: Term): { readonly matrix: Term; readonly transposed: boolean } | undefined {
  if (t.kind === 'inv' && !isScalar(t.operand)) return { matrix: t.operand, transposed: false };
  if (t.kind === 'transpose' && t.operand.kind === 'inv' && !isScalar(t.operand.operand)) return { matrix: t.operand.operand, transposed: true };
  return undefined;
}

/** What the chain printer needs from the Python printer (numpy.ts), which owns the layout. */
export interface SolvePrinter<P> {
  /** A chain with no inverse applied, grouped as the printer groups any chain. */
  readonly plain: (factors: readonly Term[]) => P;
  readonly ref: (t: Term) => P;
  readonly matmul: (left: P, right: P) => P;
  readonly transpose: (p: P) => P;
  readonly solve: (a: P, b: P) => P;
}

/** A chain of matrix factors with each applied inverse printed as a solve (the table above). */
export function solveChain<P>(factors: readonly Term[], printer: SolvePrinter<P>): P {
  const i = factors.findIndex((f) => inverseFactor(f) !== undefined);
  if (i < 0 || factors.length === 1) return printer.plain(factors);
  const { matrix, transposed } = inverseFactor(factors[i]!)!;
  const a = printer.ref(matrix);
  const left = factors.slice(0, i);
  const right = factors.slice(i + 1);
  if (right.length > 0) {
    const solved = printer.solve(transposed ? printer.transpose(a) : a, solveChain(right, printer));
    return left.length === 0 ? solved : printer.matmul(printer.plain(left), solved);
  }
  // L @ inv(A) = solve(Aᵀ, Lᵀ)ᵀ; L has no inverse (the inverse found is the leftmost).
  const only = left.length === 1 ? left[0]! : undefined;
  const leftT = only?.kind === 'transpose' ? printer.ref(only.operand) : printer.transpose(printer.plain(left));
  return printer.transpose(printer.solve(transposed ? a : printer.transpose(a), leftT));
}
