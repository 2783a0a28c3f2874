import { InternalError } from '../diagnostics/diagnostic.js';
import { add, addScaled, Dense, identity, inverse, matmul, scale } from './dense.js';

/*
 * Functions of a matrix for the evaluator (op-values.ts): the exponential and its Fréchet
 * derivatives. Written out here (no library computes them in JavaScript) and checked against scipy in
 * test/unit/verify/matrix-functions.test.ts.
 */

/** Padé [13/13] coefficients of exp (Higham 2005, "The scaling and squaring method revisited", table 2.3). */
const PADE13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
/** The largest ‖A‖₁ for which [13/13] meets double precision without scaling (Higham 2005, table 2.3). */
const THETA13 = 5.371920351148152;

/**
 * expm(A) by scaling and squaring with the [13/13] Padé approximant (Higham 2005): A is scaled by 2⁻ˢ
 * so that ‖2⁻ˢA‖₁ ≤ θ₁₃, the approximant r(B) = (V − U)⁻¹(V + U) is formed from the even and odd
 * parts of its numerator, and r is squared s times. Always degree 13: the evaluator's matrices are small,
 * so the lower degrees scipy picks for small norms would save nothing worth the branches.
 */
export function expm(a: Dense): Dense {
  if (a.rows !== a.cols) throw new InternalError(`expm of a ${a.rows}×${a.cols} matrix`);
  const n = a.rows;
  const norm = columnSumNorm(a);
  if (!Number.isFinite(norm)) return new Dense(n, n, new Float64Array(n * n).fill(NaN));
  const s = norm > THETA13 ? Math.ceil(Math.log2(norm / THETA13)) : 0;
  const b = s === 0 ? a : scale(a, 2 ** -s);
  const b2 = matmul(b, b);
  const b4 = matmul(b2, b2);
  const b6 = matmul(b4, b2);
  const c = PADE13;
  const combo = (k6: number, k4: number, k2: number, k0: number): Dense =>
    addScaled(addScaled(addScaled(scale(identity(n), k0), k2, b2), k4, b4), k6, b6);
  const u = matmul(b, add(matmul(b6, combo(c[13]!, c[11]!, c[9]!, 0)), combo(c[7]!, c[5]!, c[3]!, c[1]!)));
  const v = add(matmul(b6, combo(c[12]!, c[10]!, c[8]!, 0)), combo(c[6]!, c[4]!, c[2]!, c[0]!));
  let r = matmul(inverse(addScaled(v, -1, u)), add(v, u));
  for (let i = 0; i < s; i++) r = matmul(r, r);
  return r;
}

/** ‖A‖₁ = maxⱼ Σᵢ |aᵢⱼ|, the induced 1-norm (the largest column sum), which picks the scaling. */
function columnSumNorm(a: Dense): number {
  let best = 0;
  for (let j = 0; j < a.cols; j++) {
    let s = 0;
    for (let i = 0; i < a.rows; i++) s += Math.abs(a.get(i, j));
    if (!(s <= best)) best = s; // NaN propagates
  }
  return best;
}

/** The block upper-triangular matrix with the given n×n blocks (undefined: zero) on a k×k grid. */
function blocks(grid: readonly (readonly (Dense | undefined)[])[], n: number): Dense {
  const k = grid.length;
  const out = new Dense(k * n, k * n);
  grid.forEach((row, bi) =>
    row.forEach((block, bj) => {
      if (block === undefined) return;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.set(bi * n + i, bj * n + j, block.get(i, j));
    }),
  );
  return out;
}

/** The n×n block at block row bi, block column bj of a matrix of n×n blocks. */
function block(m: Dense, n: number, bi: number, bj: number): Dense {
  const out = new Dense(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.set(i, j, m.get(bi * n + i, bj * n + j));
  return out;
}

/**
 * L(A, E), the Fréchet derivative of expm at A in the direction E: the top-right block of
 * expm([[A, E], [0, A]]) (Higham 2008, "Functions of Matrices", theorem 3.6; Mathias 1996).
 */
export function expmFrechet(a: Dense, e: Dense): Dense {
  const n = a.rows;
  return block(expm(blocks([[a, e], [undefined, a]], n)), n, 0, 1);
}

/**
 * L⁽²⁾(A; E, F), the second Fréchet derivative: the top-right block of the exponential of the 4×4
 * block matrix [[A, E, F, 0], [0, A, 0, F], [0, 0, A, E], [0, 0, 0, A]] (Higham and Relton 2014,
 * "Higher order Fréchet derivatives of matrix functions", theorem 3.5).
 */
export function expmFrechet2(a: Dense, e: Dense, f: Dense): Dense {
  const n = a.rows;
  const grid = [
    [a, e, f, undefined],
    [undefined, a, undefined, f],
    [undefined, undefined, a, e],
    [undefined, undefined, undefined, a],
  ];
  return block(expm(blocks(grid, n)), n, 0, 3);
}
