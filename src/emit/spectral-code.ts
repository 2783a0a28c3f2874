/**
 * The NumPy and PyTorch code of the spectral ops (term/ops.ts: the spectral and nuclear norms, λ_max,
 * their gradients and Hessians applied to a direction), shared by both dialects: NumPy and PyTorch
 * spell eigh, svd, `.T`, `@` and `reshape` alike. Each is one expression; its arguments are bound once
 * as lambda parameters, so an argument printed inline is computed once. Eigenvalues from eigh come
 * smallest first, so the top pair is the last column. The formulas are those of src/verify/spectral.ts.
 */
export type Lib = 'np' | 'torch';

/** uuᵀ for the top eigenvector u of the symmetric part. */
export function eigmaxGradCode(lib: Lib, s: string): string {
  return `(lambda S: (lambda w, V: V[:, -1:] @ V[:, -1:].T)(*${lib}.linalg.eigh((S + S.T) / 2)))(${s})`;
}

/** d(uuᵀ)[D] = du uᵀ + u duᵀ with du = (λ₁I − S)⁺ sym(D) u over the other eigenvectors. */
export function eigmaxHessCode(lib: Lib, s: string, d: string): string {
  const du = 'Q @ ((Q.T @ (((D + D.T) / 2) @ u)) / c)';
  return `(lambda S, D: (lambda w, V: (lambda u, Q, c: (lambda du: du @ u.T + u @ du.T)(${du}))(V[:, -1:], V[:, :-1], (w[-1] - w[:-1]).reshape(-1, 1)))(*${lib}.linalg.eigh((S + S.T) / 2)))(${s}, ${d})`;
}

/** u₁v₁ᵀ from one SVD (its u₁ and v₁ have matching signs). */
export function specnormGradCode(lib: Lib, x: string): string {
  return `(lambda U, s, Vt: U[:, :1] @ Vt[:1, :])(*${lib}.linalg.svd(${x}))`;
}

/** d(u₁v₁ᵀ)[D] = du vᵀ + u dvᵀ, du = (σ²I − XXᵀ)⁺(σDv + XDᵀu), dv = (σ²I − XᵀX)⁺(σDᵀu + XᵀDv), u = Xv/σ. */
export function specnormHessCode(lib: Lib, x: string, d: string): string {
  const resolvent = (w: string, v: string, b: string) => `${v}[:, :-1] @ ((${v}[:, :-1].T @ (${b})) / (s ** 2 - ${w}[:-1]).reshape(-1, 1))`;
  const du = resolvent('wL', 'VL', 's * (D @ v) + X @ (D.T @ u)');
  const dv = resolvent('wR', 'VR', 's * (D.T @ u) + X.T @ (D @ v)');
  const inner = `(lambda s, v: (lambda u: (lambda du, dv: du @ v.T + u @ dv.T)(${du}, ${dv}))(X @ v / s))(wR[-1] ** 0.5, VR[:, -1:])`;
  return `(lambda X, D: (lambda wL, VL, wR, VR: ${inner})(*${lib}.linalg.eigh(X @ X.T), *${lib}.linalg.eigh(X.T @ X)))(${x}, ${d})`;
}

/** UVᵀ from the thin SVD. */
export function polarCode(lib: Lib, x: string): string {
  return `(lambda U, s, Vt: U @ Vt)(*${lib}.linalg.svd(${x}, full_matrices=False))`;
}

/**
 * d(X S^(−1/2))[D], S = XᵀX = W diag(r²) Wᵀ: D S^(−1/2) + X W (Wᵀ dS W ⊙ K) Wᵀ with dS = DᵀX + XᵀD and
 * Kᵢⱼ = −1/(rᵢrⱼ(rᵢ + rⱼ)), the divided differences of l^(−1/2); a wide X through its transpose.
 */
export function polarFrechetCode(lib: Lib, x: string, d: string): string {
  const k = '(-1 / (r.reshape(-1, 1) * r * (r.reshape(-1, 1) + r)))';
  const tall = `(lambda X, D: (lambda l, W: (lambda r: D @ (W / r) @ W.T + X @ W @ ((W.T @ (D.T @ X + X.T @ D) @ W) * ${k}) @ W.T)(l ** 0.5))(*${lib}.linalg.eigh(X.T @ X)))`;
  return `(lambda f, X, D: f(X, D) if X.shape[0] >= X.shape[1] else f(X.T, D.T).T)(${tall}, ${x}, ${d})`;
}
