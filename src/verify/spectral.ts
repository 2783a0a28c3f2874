import { Dense, matmul, transpose } from './dense.js';

/*
 * Spectral functions for the evaluator (op-values.ts): the largest eigenvalue of a symmetric matrix,
 * the spectral and nuclear norms, their gradients and their Hessians applied to a direction. All are
 * computed from one symmetric eigensolver (cyclic Jacobi: exact enough and short at the sizes the
 * check draws), checked against numpy in test/unit/verify/matrix-functions.test.ts.
 */

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** The eigenvectors as columns, in the order of `values`. */
  readonly vectors: Dense;
}

/**
 * The eigen-decomposition of the symmetric part (A + Aᵀ)/2 by cyclic Jacobi rotations (Golub & Van Loan,
 * Matrix Computations, §8.5): each rotation zeroes one off-diagonal entry; sweeps repeat until the
 * off-diagonal mass is below rounding.
 */
export function symmetricEigen(a: Dense): SymmetricEigen {
  const n = a.rows;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = (a.get(i, j) + a.get(j, i)) / 2;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (const x of m) scale += x * x;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (!(off > 1e-32 * scale)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p]!;
          const akq = m[k * n + q]!;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k]!;
          const aqk = m[q * n + k]!;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = [...Array(n).keys()].sort((i, j) => m[j * n + j]! - m[i * n + i]!);
  const values = Float64Array.from(order, (i) => m[i * n + i]!);
  const vectors = new Dense(n, n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors.set(k, to, v[k * n + from]!);
  });
  return { values, vectors };
}

function column(d: Dense, j: number): Dense {
  const out = new Dense(d.rows, 1);
  for (let i = 0; i < d.rows; i++) out.data[i] = d.get(i, j);
  return out;
}

/** Σᵢ wᵢ(i)·vᵢvᵢᵀ·b over the eigenpairs: a function of the matrix applied to b (weights per eigenvalue). */
function spectralApply(e: SymmetricEigen, weight: (i: number) => number, b: Dense): Dense {
  const n = e.vectors.rows;
  const out = new Dense(n, b.cols);
  for (let i = 0; i < n; i++) {
    const w = weight(i);
    if (w === 0) continue;
    for (let c = 0; c < b.cols; c++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += e.vectors.get(k, i) * b.get(k, c);
      for (let k = 0; k < n; k++) out.data[k * b.cols + c]! += w * dot * e.vectors.get(k, i);
    }
  }
  return out;
}

/** The reduced resolvent (λ₁I − A)⁺ on the complement of the top eigenvector, applied to b. */
function topResolvent(e: SymmetricEigen, b: Dense): Dense {
  return spectralApply(e, (i) => (i === 0 ? 0 : 1 / (e.values[0]! - e.values[i]!)), b);
}

/** The relative gap (λ₁ − λ₂)/max(|λ₁|, 1): the check's margin from a repeated top eigenvalue. */
export function topGap(values: Float64Array): number {
  if (values.length < 2) return Number.POSITIVE_INFINITY;
  return (values[0]! - values[1]!) / Math.max(Math.abs(values[0]!), 1);
}

const sym = (a: Dense): Dense => {
  const out = new Dense(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.set(i, j, (a.get(i, j) + a.get(j, i)) / 2);
  return out;
};

const outer = (a: Dense, b: Dense): Dense => matmul(a, transpose(b));

/** λ_max of the symmetric part, its gradient u uᵀ, and the Hessian applied to D: du uᵀ + u duᵀ, du = R sym(D) u. */
export function eigmax(s: Dense): number {
  return symmetricEigen(s).values[0]!;
}

export function eigmaxGrad(s: Dense): Dense {
  const u = column(symmetricEigen(s).vectors, 0);
  return outer(u, u);
}

export function eigmaxHess(s: Dense, d: Dense): Dense {
  const e = symmetricEigen(s);
  const u = column(e.vectors, 0);
  const du = topResolvent(e, matmul(sym(d), u));
  return sym(scaleBy(outer(du, u), 2));
}

function scaleBy(a: Dense, c: number): Dense {
  const out = a.clone();
  for (let i = 0; i < out.data.length; i++) out.data[i]! *= c;
  return out;
}

/** The top singular triple from the Gram matrices: v₁ the top eigenvector of XᵀX, u₁ = Xv₁/σ₁. */
interface TopSingular {
  readonly sigma: number;
  readonly u: Dense;
  readonly v: Dense;
  readonly left: SymmetricEigen;
  readonly right: SymmetricEigen;
}

function topSingular(x: Dense): TopSingular {
  const xt = transpose(x);
  const right = symmetricEigen(matmul(xt, x));
  const left = symmetricEigen(matmul(x, xt));
  const sigma = Math.sqrt(Math.max(right.values[0]!, 0));
  const v = column(right.vectors, 0);
  const u = scaleBy(matmul(x, v), 1 / sigma);
  return { sigma, u, v, left, right };
}

/** The singular values, largest first (square roots of the eigenvalues of the smaller Gram matrix). */
export function singularValues(x: Dense): Float64Array {
  const gram = x.rows >= x.cols ? matmul(transpose(x), x) : matmul(x, transpose(x));
  return symmetricEigen(gram).values.map((l) => Math.sqrt(Math.max(l, 0)));
}

export function specnorm(x: Dense): number {
  return singularValues(x)[0]!;
}

export function specnormGrad(x: Dense): Dense {
  const t = topSingular(x);
  return outer(t.u, t.v);
}

/**
 * d(u₁v₁ᵀ)[D] = du vᵀ + u dvᵀ with du = (σ²I − XXᵀ)⁺(σDv + XDᵀu) and dv = (σ²I − XᵀX)⁺(σDᵀu + XᵀDv):
 * the derivatives of the top eigenvectors of XXᵀ and XᵀX (Magnus & Neudecker, Matrix Differential
 * Calculus, 3rd ed., §8.9, theorem 8.9), with u = Xv/σ.
 */
export function specnormHess(x: Dense, d: Dense): Dense {
  const { sigma, u, v, left, right } = topSingular(x);
  const dt = transpose(d);
  const du = topResolvent(left, addAll(scaleBy(matmul(d, v), sigma), matmul(x, matmul(dt, u))));
  const dv = topResolvent(right, addAll(scaleBy(matmul(dt, u), sigma), matmul(transpose(x), matmul(d, v))));
  return addAll(outer(du, v), outer(u, dv));
}

function addAll(a: Dense, b: Dense): Dense {
  const out = a.clone();
  for (let i = 0; i < out.data.length; i++) out.data[i]! += b.data[i]!;
  return out;
}

/** ‖X‖_* = Σσᵢ. */
export function nuclearNorm(x: Dense): number {
  return singularValues(x).reduce((s, v) => s + v, 0);
}

/** The polar factor UVᵀ = X(XᵀX)^(−1/2) for a tall X of full column rank (a wide X through Xᵀ). */
export function polar(x: Dense): Dense {
  if (x.rows < x.cols) return transpose(polar(transpose(x)));
  const e = symmetricEigen(matmul(transpose(x), x));
  return matmul(x, spectralMatrix(e, (l) => 1 / Math.sqrt(l)));
}

function spectralMatrix(e: SymmetricEigen, f: (l: number) => number): Dense {
  const n = e.vectors.rows;
  const out = new Dense(n, n);
  for (let i = 0; i < n; i++) {
    const w = f(e.values[i]!);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) out.data[r * n + c]! += w * e.vectors.get(r, i) * e.vectors.get(c, i);
  }
  return out;
}

/**
 * The derivative of the polar factor, d(X S^(−1/2))[D] with S = XᵀX: D S^(−1/2) + X·L(D), where L is
 * the Fréchet derivative of S^(−1/2) along dS = DᵀX + XᵀD, by divided differences in S's eigenbasis
 * (Higham 2008, theorem 3.11). Self-adjoint, as the Hessian of the nuclear norm it is.
 */
export function polarFrechet(x: Dense, d: Dense): Dense {
  if (x.rows < x.cols) return transpose(polarFrechet(transpose(x), transpose(d)));
  const xt = transpose(x);
  const e = symmetricEigen(matmul(xt, x));
  const w = e.vectors;
  const ds = matmul(transpose(w), matmul(addAll(matmul(transpose(d), x), matmul(xt, d)), w));
  const n = w.rows;
  const f = (l: number) => 1 / Math.sqrt(l);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const li = e.values[i]!;
      const lj = e.values[j]!;
      const divided = Math.abs(li - lj) > 1e-12 * Math.max(li, lj) ? (f(li) - f(lj)) / (li - lj) : -0.5 * li ** -1.5;
      ds.data[i * n + j]! *= divided;
    }
  }
  const dInvSqrt = matmul(w, matmul(ds, transpose(w)));
  return addAll(matmul(d, spectralMatrix(e, f)), matmul(x, dInvSqrt));
}
