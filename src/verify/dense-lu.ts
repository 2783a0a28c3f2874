import { Dense, entries, fill, requireSquare } from './dense-matrix.js';

/*
 * The LU factorisation and what is computed from it (inverse, det, logdet). Separate from the
 * entrywise operations (dense.ts).
 *
 * Written here rather than loaded from a matrix library: the check needs only this, and loading
 * ml-matrix (one 150 KB CommonJS file) cost every `grad` with a det, logdet or inverse in it ~37 M
 * instructions at start-up, 7 % of `node -e 0` (callgrind). The algorithm is the classic left-looking
 * one with partial pivoting (JAMA's, as ml-matrix has it), operation for operation, so the numbers the
 * check prints did not change when the library went.
 */

/**
 * One LU factorisation P·A = L·U (partial pivoting) serving det, logdet and the inverse, so the
 * evaluator factors a matrix once even when it needs all three.
 */
export class Lu {
  readonly n: number;
  /** L below the diagonal (unit diagonal implied) and U on and above it, row-major, rows permuted. */
  private readonly lu: Float64Array;
  /** Row i of lu is row pivot[i] of A. */
  private readonly pivot: Int32Array;
  /** +1 or −1: the parity of the row exchanges. */
  private readonly pivotSign: number;
  /** det(A) = sign · exp(logAbsDet); sign is 0 for an exactly singular matrix. */
  readonly sign: number;
  readonly logAbsDet: number;

  constructor(a: Dense) {
    requireSquare('Lu', a);
    const n = a.rows;
    this.n = n;
    this.lu = entries(n * n);
    this.lu.set(a.data);
    this.pivot = Int32Array.from({ length: n }, (_, i) => i);
    this.pivotSign = factor(this.lu, n, this.pivot);
    // The determinant is the pivot sign times the product of U's diagonal; summing logs instead of
    // multiplying keeps logdet of a 100×100 matrix finite when det itself would overflow.
    let sign = this.pivotSign;
    let logAbs = 0;
    for (let i = 0; i < n; i++) {
      const d = this.lu[i * n + i]!;
      if (d === 0 || Number.isNaN(d)) {
        sign = Number.isNaN(d) ? NaN : 0;
      } else if (d < 0) {
        sign = -sign;
      }
      logAbs += Math.log(Math.abs(d));
    }
    this.sign = sign;
    this.logAbsDet = sign === 0 ? -Infinity : logAbs;
  }

  get singular(): boolean {
    return this.sign === 0;
  }

  /** The plain product of the pivots: exact for small integer matrices, unlike exp(logAbsDet). */
  get det(): number {
    let det = this.pivotSign;
    for (let i = 0; i < this.n; i++) det *= this.lu[i * this.n + i]!;
    return det;
  }

  /** log det A: NaN when det < 0, −∞ when singular. */
  get logdet(): number {
    if (this.sign > 0) return this.logAbsDet;
    if (this.sign === 0) return -Infinity;
    return NaN;
  }

  /** A⁻¹; all NaN when A is exactly singular (the evaluator reports why). */
  inverse(): Dense {
    const n = this.n;
    if (this.singular || Number.isNaN(this.sign)) return fill(n, n, NaN);
    // Solve L·U·X = P·I: the identity's rows in pivot order, then forward and back substitution.
    const x = entries(n * n);
    for (let i = 0; i < n; i++) x[i * n + this.pivot[i]!] = 1;
    substitute(this.lu, n, x);
    return new Dense(n, n, x);
  }
}

/**
 * Factors the n×n row-major `lu` in place, column by column: each column is first reduced by the
 * columns before it (dot products with L's finished rows), then the largest remaining entry in
 * absolute value is swapped onto the diagonal (rows and `pivot` entries exchanged) and the entries
 * below it divided by it. Returns the sign of the row permutation.
 */
function factor(lu: Float64Array, n: number, pivot: Int32Array): number {
  let sign = 1;
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) column[i] = lu[i * n + j]!;
    for (let i = 0; i < n; i++) {
      const kmax = Math.min(i, j);
      let s = 0;
      for (let k = 0; k < kmax; k++) s += lu[i * n + k]! * column[k]!;
      column[i] = column[i]! - s;
      lu[i * n + j] = column[i]!;
    }
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(column[i]!) > Math.abs(column[p]!)) p = i;
    if (p !== j) {
      for (let k = 0; k < n; k++) {
        const t = lu[p * n + k]!;
        lu[p * n + k] = lu[j * n + k]!;
        lu[j * n + k] = t;
      }
      const v = pivot[p]!;
      pivot[p] = pivot[j]!;
      pivot[j] = v;
      sign = -sign;
    }
    const d = lu[j * n + j]!;
    if (d !== 0) for (let i = j + 1; i < n; i++) lu[i * n + j] = lu[i * n + j]! / d;
  }
  return sign;
}

/** Overwrites the n×n right-hand sides `x` (rows already in pivot order) with (LU)⁻¹x. */
function substitute(lu: Float64Array, n: number, x: Float64Array): void {
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      const l = lu[i * n + k]!;
      for (let j = 0; j < n; j++) x[i * n + j] = x[i * n + j]! - x[k * n + j]! * l;
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const u = lu[k * n + k]!;
    for (let j = 0; j < n; j++) x[k * n + j] = x[k * n + j]! / u;
    for (let i = 0; i < k; i++) {
      const l = lu[i * n + k]!;
      for (let j = 0; j < n; j++) x[i * n + j] = x[i * n + j]! - x[k * n + j]! * l;
    }
  }
}

export function inverse(a: Dense): Dense {
  return new Lu(a).inverse();
}

export function det(a: Dense): number {
  return new Lu(a).det;
}

export function logdet(a: Dense): number {
  return new Lu(a).logdet;
}
