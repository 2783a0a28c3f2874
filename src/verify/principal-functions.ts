import { InternalError } from '../diagnostics/diagnostic.js';
import { add, addScaled, Dense, identity, inverse, Lu, matmul, normFrobenius, scale, subtract } from './dense.js';

/*
 * The principal square root and logarithm for the evaluator (op-values.ts), and their Fréchet
 * derivatives: written out here (no library computes them in JavaScript) and checked against scipy
 * in test/unit/verify/principal-functions.test.ts. Both are defined where no eigenvalue lies on the
 * closed negative real axis (Higham 2008, theorems 1.29 and 1.31); `principalIssue` says why a point
 * is outside it or too near its boundary for a finite-difference check.
 */

/** Denman–Beavers iterations before a matrix is declared outside the domain (quadratic convergence needs ~10). */
const MAX_ITERATIONS = 100;

/**
 * sqrtm(A) by the Denman–Beavers iteration Y ← (Y + Z⁻¹)/2, Z ← (Z + Y⁻¹)/2 from Y = A, Z = I, which
 * converges to A^(1/2) (and Z to A^(−1/2)) for every A with no eigenvalue on (−∞, 0] (Higham 2008,
 * (6.15)), with determinant scaling for the first steps (Higham 2008, (6.28)). Undefined (NaN) where it
 * does not converge.
 */
export function sqrtm(a: Dense): Dense {
  if (a.rows !== a.cols) throw new InternalError(`sqrtm of a ${a.rows}×${a.cols} matrix`);
  const n = a.rows;
  let y = a;
  let z = identity(n);
  let converged = false;
  for (let k = 0; k < MAX_ITERATIONS; k++) {
    const yLu = new Lu(y);
    const zLu = new Lu(z);
    if (yLu.singular || zLu.singular) break;
    // |det(Y)det(Z)|^(−1/(2n)) balances the eigenvalues' moduli around 1 while they are far from it.
    const mu = k < 6 ? Math.exp(-(yLu.logAbsDet + zLu.logAbsDet) / (2 * n)) : 1;
    const nextY = scale(addScaled(scale(y, mu), 1 / mu, zLu.inverse()), 0.5);
    const nextZ = scale(addScaled(scale(z, mu), 1 / mu, yLu.inverse()), 0.5);
    const change = normFrobenius(subtract(nextY, y));
    y = nextY;
    z = nextZ;
    // Quadratic convergence: a step below 10⁻⁹ leaves an error of ~10⁻¹⁸, which one more step removes
    // (a tolerance near the rounding level may never be met).
    if (converged) return y;
    converged = k >= 6 && change <= 1e-9 * normFrobenius(y);
  }
  return new Dense(n, n, new Float64Array(n * n).fill(NaN));
}

/** ‖R − I‖_F below which the atanh series of the logarithm is summed (‖Y‖ ≲ 0.05: 9 terms reach 1e-24). */
const LOG_SERIES_RADIUS = 0.1;

/**
 * logm(A) by inverse scaling and squaring (Higham 2008, §11.5): square roots until R = A^(1/2ᵏ) is
 * near I, then log R = 2 atanh(Y) = 2(Y + Y³/3 + Y⁵/5 + …) with Y = (R − I)(R + I)⁻¹, times 2ᵏ.
 */
export function logm(a: Dense): Dense {
  const n = a.rows;
  let r = a;
  let k = 0;
  while (normFrobenius(subtract(r, identity(n))) > LOG_SERIES_RADIUS) {
    r = sqrtm(r);
    k++;
    if (k > 60 || !Number.isFinite(r.data[0]!)) return new Dense(n, n, new Float64Array(n * n).fill(NaN));
  }
  const y = matmul(subtract(r, identity(n)), inverse(add(r, identity(n))));
  const y2 = matmul(y, y);
  let term = y;
  let series = y;
  for (let j = 3; j <= 31; j += 2) {
    term = matmul(term, y2);
    series = addScaled(series, 1 / j, term);
  }
  return scale(series, 2 ** (k + 1));
}

/**
 * The Kronecker sum I ⊗ S + Sᵀ ⊗ I, row-major vec: the matrix of Z ↦ SZ + ZS, whose inverse applied to
 * E is the Fréchet derivative of the square root (Higham 2008, (6.5)).
 */
function sylvesterOperator(s: Dense): Dense {
  const n = s.rows;
  const m = new Dense(n * n, n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) {
        m.data[(i * n + j) * n * n + (k * n + j)]! += s.get(i, k);
        m.data[(i * n + j) * n * n + (i * n + k)]! += s.get(k, j);
      }
    }
  }
  return m;
}

/** L(A, E) of sqrtm: the Z with SZ + ZS = E, S = sqrtm(A), solved as one linear system of n² unknowns. */
export function sqrtmFrechet(a: Dense, e: Dense): Dense {
  const n = a.rows;
  const solution = matmul(inverse(sylvesterOperator(sqrtm(a))), new Dense(n * n, 1, e.data.slice()));
  return new Dense(n, n, solution.data);
}

/**
 * L(A, E) of logm: the top-right block of logm([[A, E], [0, A]]) (Higham 2008, theorem 3.6). L is
 * linear in E, so E is scaled to A's size first and the block scaled back: the block matrix stays
 * about as normal as A, which keeps its square roots accurate.
 */
export function logmFrechet(a: Dense, e: Dense): Dense {
  const n = a.rows;
  const size = normFrobenius(e);
  if (size === 0) return new Dense(n, n);
  const t = Math.max(normFrobenius(a), 1e-300) / size;
  const big = new Dense(2 * n, 2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      big.set(i, j, a.get(i, j));
      big.set(n + i, n + j, a.get(i, j));
      big.set(i, n + j, t * e.get(i, j));
    }
  }
  const log = logm(big);
  const out = new Dense(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.set(i, j, log.get(i, n + j) / t);
  return out;
}

/**
 * The least ‖(S ⊕ S)⁻¹‖_F‖S ⊕ S‖_F / n² at which a point is too near the domain's boundary: S ⊕ S has
 * the eigenvalues μᵢ + μⱼ of S = A^(1/2), which reach 0 as an eigenvalue of A reaches (−∞, 0] (where
 * the square root and logarithm stop being differentiable), so a large condition means a kink is near.
 * Divided by n², the Frobenius norms' growth with the n² unknowns, so the limit means the same at every
 * size: an eigenvalue −1 ± 10⁻³i (μ + μ̄ = 10⁻³) is refused, an SPD matrix with λ ∈ [0.05, 20] is not.
 */
const PRINCIPAL_CONDITION_LIMIT = 1e3;

/** Why A is unfit for checking sqrtm or logm there (outside the domain or near its boundary), or undefined. */
export function principalIssue(a: Dense): string | undefined {
  const s = sqrtm(a);
  if (!s.data.every(Number.isFinite)) return 'the square-root iteration does not converge: an eigenvalue is on or near the negative real axis';
  const residual = normFrobenius(subtract(matmul(s, s), a));
  if (!(residual <= 1e-8 * Math.max(normFrobenius(a), 1e-300))) return `no principal square root (‖S² − A‖ = ${residual.toPrecision(2)})`;
  const op = sylvesterOperator(s);
  const lu = new Lu(op);
  const condition = lu.singular ? Number.POSITIVE_INFINITY : (normFrobenius(op) * normFrobenius(lu.inverse())) / op.rows;
  if (!(condition <= PRINCIPAL_CONDITION_LIMIT)) return `an eigenvalue is (nearly) on the negative real axis (condition of S ⊕ S ≈ ${condition.toPrecision(2)})`;
  return undefined;
}
