import { createRequire } from 'node:module';
import type { LuDecomposition, Matrix } from 'ml-matrix';
import { Dense, fill, requireSquare } from './dense-matrix.js';

/*
 * The LU factorisation and what is computed from it (inverse, det, logdet), through ml-matrix.
 * Separate from the entrywise operations (dense.ts): the one part that loads a library, on first use.
 */

/**
 * ml-matrix is loaded on first use (an LU factorisation), through its single-file CommonJS build:
 * the ESM entry is dozens of modules (~50 ms), and a gradient without a numeric check, or without
 * det/logdet/inv in it, need not load it at all. Synchronous, so gradient() stays synchronous.
 */
type MlMatrix = typeof import('ml-matrix');
let mlMatrix: MlMatrix | undefined;
function ml(): MlMatrix {
  mlMatrix ??= createRequire(import.meta.url)('ml-matrix') as MlMatrix;
  return mlMatrix;
}

function toMatrix(a: Dense): Matrix {
  const m = new (ml().Matrix)(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) m.set(i, j, a.data[i * a.cols + j]!);
  }
  return m;
}

function fromMatrix(m: Matrix): Dense {
  const out = new Dense(m.rows, m.columns);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.columns; j++) out.data[i * m.columns + j] = m.get(i, j);
  }
  return out;
}

/**
 * One LU factorisation (ml-matrix, partial pivoting) serving det, logdet and the inverse, so the
 * evaluator factors a matrix once even when it needs all three.
 */
export class Lu {
  private readonly lu: LuDecomposition;
  readonly n: number;
  /** det(A) = sign · exp(logAbsDet); sign is 0 for an exactly singular matrix. */
  readonly sign: number;
  readonly logAbsDet: number;

  constructor(a: Dense) {
    requireSquare('Lu', a);
    this.n = a.rows;
    this.lu = new (ml().LuDecomposition)(toMatrix(a));
    // The determinant is the pivot sign times the product of U's diagonal; summing logs instead of
    // multiplying keeps logdet of a 100×100 matrix finite when det itself would overflow.
    const u = this.lu.upperTriangularMatrix;
    let sign = permutationSign(this.lu.pivotPermutationVector);
    let logAbs = 0;
    for (let i = 0; i < this.n; i++) {
      const d = u.get(i, i);
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
    return this.lu.determinant;
  }

  /** log det A: NaN when det < 0, −∞ when singular. */
  get logdet(): number {
    if (this.sign > 0) return this.logAbsDet;
    if (this.sign === 0) return -Infinity;
    return NaN;
  }

  /** A⁻¹; all NaN when A is exactly singular (the evaluator reports why). */
  inverse(): Dense {
    if (this.singular || Number.isNaN(this.sign)) return fill(this.n, this.n, NaN);
    return fromMatrix(this.lu.solve(ml().Matrix.eye(this.n, this.n)));
  }
}

function permutationSign(p: readonly number[]): number {
  const seen = new Uint8Array(p.length);
  let sign = 1;
  for (let i = 0; i < p.length; i++) {
    if (seen[i]) continue;
    let length = 0;
    for (let j = i; !seen[j]; j = p[j]!) {
      seen[j] = 1;
      length++;
    }
    if (length % 2 === 0) sign = -sign;
  }
  return sign;
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
