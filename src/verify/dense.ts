import { InternalError } from '../diagnostics/diagnostic.js';
import { Dense, identity, requireSameSize, requireSquare } from './dense-matrix.js';

/*
 * Operations on Dense matrices: products, sums, entrywise maps, reductions and norms. The type and
 * its constructors are in dense-matrix.ts, the LU factorisation and what needs it in dense-lu.ts;
 * both are re-exported here, so `import * as dense from './dense.js'` is the whole numeric toolkit.
 */

export { Dense, fill, identity } from './dense-matrix.js';
export { det, inverse, logdet, Lu } from './dense-lu.js';

/**
 * A·B as dot products of A's rows with the rows of Bᵀ: both walk memory contiguously and the two
 * running sums (even and odd k) stay in registers, which measures about 1.7× faster than the i-k-j
 * loop at 100×100. Zeros are not skipped, so 0·∞ still gives NaN as IEEE arithmetic does.
 */
export function matmul(a: Dense, b: Dense): Dense {
  if (a.cols !== b.rows) throw new InternalError(`matmul: cannot multiply ${a.rows}×${a.cols} by ${b.rows}×${b.cols}`);
  const n = a.rows;
  const inner = a.cols;
  const m = b.cols;
  const out = new Dense(n, m);
  if (inner >= 1 && inner <= 4) {
    multiplyShort(a.data, b.data, out.data, n * inner, inner, m);
    return out;
  }
  const ad = a.data;
  const bt = m === 1 ? b.data : transpose(b).data;
  const cd = out.data;
  for (let i = 0; i < n; i++) {
    const rowA = i * inner;
    for (let j = 0; j < m; j++) {
      const rowB = j * inner;
      let s0 = 0;
      let s1 = 0;
      let k = 0;
      for (; k + 1 < inner; k += 2) {
        s0 += ad[rowA + k]! * bt[rowB + k]!;
        s1 += ad[rowA + k + 1]! * bt[rowB + k + 1]!;
      }
      if (k < inner) s0 += ad[rowA + k]! * bt[rowB + k]!;
      cd[i * m + j] = s0 + s1;
    }
  }
  return out;
}

/**
 * matmul for an inner dimension of 1 to 4, the sizes the check chooses (verify/dim-sizes.ts): each
 * entry written out as the loop above sums it, (0 + a₀b₀ + a₂b₂) + (0 + a₁b₁ + a₃b₃), so the values
 * are the same to the bit, with B read in place instead of transposed. The check multiplies such
 * matrices at every point it probes, on a cold start in the interpreter, where the transpose and the
 * inner loop's steps were most of a product's cost (and made V8 compile matmul with its optimising
 * compiler, which cost more than the whole check of a small chain: docs/performance.md).
 */
function multiplyShort(ad: Float64Array, bd: Float64Array, cd: Float64Array, end: number, inner: number, m: number): void {
  // One loop nest per size: V8 counts a loop's bytecode towards compiling it on every turn, all of
  // its branches included.
  let c = 0;
  if (inner === 1) {
    for (let p = 0; p < end; p++) {
      const a0 = ad[p]!;
      for (let j = 0; j < m; j++) cd[c++] = 0 + a0 * bd[j]!;
    }
  } else if (inner === 2) {
    for (let p = 0; p < end; p += 2) {
      const a0 = ad[p]!;
      const a1 = ad[p + 1]!;
      for (let j = 0; j < m; j++) cd[c++] = 0 + a0 * bd[j]! + (0 + a1 * bd[j + m]!);
    }
  } else if (inner === 3) {
    const m2 = 2 * m;
    for (let p = 0; p < end; p += 3) {
      const a0 = ad[p]!;
      const a1 = ad[p + 1]!;
      const a2 = ad[p + 2]!;
      for (let j = 0; j < m; j++) cd[c++] = 0 + a0 * bd[j]! + a2 * bd[j + m2]! + (0 + a1 * bd[j + m]!);
    }
  } else {
    const m2 = 2 * m;
    const m3 = 3 * m;
    for (let p = 0; p < end; p += 4) {
      const a0 = ad[p]!;
      const a1 = ad[p + 1]!;
      const a2 = ad[p + 2]!;
      const a3 = ad[p + 3]!;
      for (let j = 0; j < m; j++) cd[c++] = 0 + a0 * bd[j]! + a2 * bd[j + m2]! + (0 + a1 * bd[j + m]! + a3 * bd[j + m3]!);
    }
  }
}

export function add(a: Dense, b: Dense): Dense {
  requireSameSize('add', a, b);
  const out = new Dense(a.rows, a.cols);
  const ad = a.data;
  const bd = b.data;
  const cd = out.data;
  for (let i = 0; i < cd.length; i++) cd[i] = ad[i]! + bd[i]!;
  return out;
}

/** acc += b, in place (acc must be a fresh result, never an input's value). */
export function addInto(acc: Dense, b: Dense): void {
  requireSameSize('add', acc, b);
  const ad = acc.data;
  const bd = b.data;
  for (let i = 0; i < ad.length; i++) ad[i]! += bd[i]!;
}

/** a + s·b, the step X + hV of the finite-difference checker. */
export function addScaled(a: Dense, s: number, b: Dense): Dense {
  requireSameSize('addScaled', a, b);
  const out = new Dense(a.rows, a.cols);
  const ad = a.data;
  const bd = b.data;
  const cd = out.data;
  for (let i = 0; i < cd.length; i++) cd[i] = ad[i]! + s * bd[i]!;
  return out;
}

export function subtract(a: Dense, b: Dense): Dense {
  return addScaled(a, -1, b);
}

export function scale(a: Dense, s: number): Dense {
  const out = new Dense(a.rows, a.cols);
  const ad = a.data;
  const cd = out.data;
  for (let i = 0; i < cd.length; i++) cd[i] = s * ad[i]!;
  return out;
}

export function hadamard(a: Dense, b: Dense): Dense {
  requireSameSize('hadamard', a, b);
  const out = new Dense(a.rows, a.cols);
  const ad = a.data;
  const bd = b.data;
  const cd = out.data;
  for (let i = 0; i < cd.length; i++) cd[i] = ad[i]! * bd[i]!;
  return out;
}

export function divide(a: Dense, b: Dense): Dense {
  requireSameSize('divide', a, b);
  const out = new Dense(a.rows, a.cols);
  const ad = a.data;
  const bd = b.data;
  const cd = out.data;
  for (let i = 0; i < cd.length; i++) cd[i] = ad[i]! / bd[i]!;
  return out;
}

export function transpose(a: Dense): Dense {
  const out = new Dense(a.cols, a.rows);
  const ad = a.data;
  const cd = out.data;
  const r = a.rows;
  const c = a.cols;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) cd[j * r + i] = ad[i * c + j]!;
  }
  return out;
}

export function map(a: Dense, f: (x: number) => number): Dense {
  const out = new Dense(a.rows, a.cols);
  const ad = a.data;
  const cd = out.data;
  for (let i = 0; i < cd.length; i++) cd[i] = f(ad[i]!);
  return out;
}

export function trace(a: Dense): number {
  requireSquare('trace', a);
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += a.data[i * a.cols + i]!;
  return s;
}

export function sum(a: Dense): number {
  let s = 0;
  const ad = a.data;
  for (let i = 0; i < ad.length; i++) s += ad[i]!;
  return s;
}

/** Σ |a_ij|: the entrywise 1-norm (what the term kind norm1 means, not the induced norm). */
export function norm1(a: Dense): number {
  let s = 0;
  const ad = a.data;
  for (let i = 0; i < ad.length; i++) s += Math.abs(ad[i]!);
  return s;
}

/** Frobenius norm, scaled by the largest entry so that huge or tiny entries neither overflow nor underflow. */
export function normFrobenius(a: Dense): number {
  const big = maxAbs(a);
  if (big === 0 || !Number.isFinite(big)) return big;
  let s = 0;
  const ad = a.data;
  for (let i = 0; i < ad.length; i++) {
    const x = ad[i]! / big;
    s += x * x;
  }
  return big * Math.sqrt(s);
}

/** max |a_ij| (0 for an empty matrix; NaN when an entry is NaN). */
export function maxAbs(a: Dense): number {
  let m = 0;
  const ad = a.data;
  for (let i = 0; i < ad.length; i++) {
    const x = Math.abs(ad[i]!);
    if (x > m || Number.isNaN(x)) {
      if (Number.isNaN(x)) return NaN;
      m = x;
    }
  }
  return m;
}

/** ⟨A, B⟩ = Σ A_ij B_ij = tr(AᵀB). */
export function frobeniusInner(a: Dense, b: Dense): number {
  requireSameSize('frobeniusInner', a, b);
  let s = 0;
  const ad = a.data;
  const bd = b.data;
  for (let i = 0; i < ad.length; i++) s += ad[i]! * bd[i]!;
  return s;
}

export function allFinite(a: Dense): boolean {
  const ad = a.data;
  for (let i = 0; i < ad.length; i++) if (!Number.isFinite(ad[i]!)) return false;
  return true;
}

/** The diagonal of a square matrix as a column vector. */
export function diag(a: Dense): Dense {
  requireSquare('diag', a);
  const n = a.rows;
  const out = new Dense(n, 1);
  for (let i = 0; i < n; i++) out.data[i] = a.data[i * n + i]!;
  return out;
}

/** Diag(v): a column vector placed on the diagonal of a square matrix. */
export function diagm(v: Dense): Dense {
  if (v.cols !== 1) throw new InternalError(`diagm: ${v.rows}×${v.cols} is not a column vector`);
  const n = v.rows;
  const out = new Dense(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = v.data[i]!;
  return out;
}

/** Aᵏ for an integer k ≥ 0 by repeated squaring: about 2·log₂k products instead of k − 1. */
export function matrixPower(a: Dense, k: number): Dense {
  requireSquare('matrixPower', a);
  if (!Number.isInteger(k) || k < 0) throw new InternalError(`matrixPower: exponent ${k} must be an integer ≥ 0`);
  let result: Dense | undefined;
  let base = a;
  let e = k;
  while (e > 0) {
    if (e & 1) result = result === undefined ? base : matmul(result, base);
    e = Math.floor(e / 2);
    if (e > 0) base = matmul(base, base);
  }
  return result ?? identity(a.rows);
}
