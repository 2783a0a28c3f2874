/**
 * The PyTorch code of the principal square root and logarithm (term/ops.ts: sqrtm, logm and their
 * Fréchet derivatives). torch has neither, so each is computed from the eigendecomposition A = VΛV⁻¹
 * (torch.linalg.eig, complex): f(A) = V f(Λ) V⁻¹ and L(A, E) = V (K ⊙ V⁻¹EV) V⁻¹ with K the divided
 * differences of f at the eigenvalues (Daleckii–Krein; Higham 2008, theorem 3.11). This holds for a
 * diagonalizable A with no eigenvalue on (−∞, 0] — the ops' domain, where almost every matrix is
 * diagonalizable — and is the real part of complex arithmetic. Each is one expression whose arguments
 * are bound once as lambda parameters, as in spectral-code.ts.
 */

/** V f(Λ) V⁻¹ from one eig of A; f a function of the complex eigenvalues w. */
function eigenFunction(f: string, a: string): string {
  return `(lambda w, V: (V @ torch.diag_embed(${f}) @ torch.linalg.inv(V)).real)(*torch.linalg.eig(${a}))`;
}

/** V (K ⊙ V⁻¹EV) V⁻¹ from one eig of A; K the divided differences over the eigenvalues wi = w[:, None], wj = w[None, :]. */
function eigenFrechet(k: string, a: string, e: string): string {
  const body = `(lambda Vi: (V @ (${k} * (Vi @ E.to(V.dtype) @ V)) @ Vi).real)(torch.linalg.inv(V))`;
  return `(lambda A, E: (lambda w, V: (lambda wi, wj: ${body})(w.reshape(-1, 1), w.reshape(1, -1)))(*torch.linalg.eig(A)))(${a}, ${e})`;
}

export function sqrtmCode(a: string): string {
  return eigenFunction('torch.sqrt(w)', a);
}

export function logmCode(a: string): string {
  return eigenFunction('torch.log(w)', a);
}

/** (√wᵢ − √wⱼ)/(wᵢ − wⱼ) = 1/(√wᵢ + √wⱼ), which is also 1/(2√w) on the diagonal: no division by a difference. */
export function sqrtmFrechetCode(a: string, e: string): string {
  return eigenFrechet('(1 / (torch.sqrt(wi) + torch.sqrt(wj)))', a, e);
}

/**
 * (log wᵢ − log wⱼ)/(wᵢ − wⱼ), and 2/(wᵢ + wⱼ) (the derivative 1/w at the midpoint, exact to O(δ²))
 * where the eigenvalues are within 10⁻⁶ of each other relative to their size, where the quotient cancels.
 */
export function logmFrechetCode(a: string, e: string): string {
  const d = '(wi - wj)';
  const near = `(${d}.abs() <= 1e-6 * (wi.abs() + wj.abs()))`;
  const k = `torch.where(${near}, 2 / (wi + wj), (torch.log(wi) - torch.log(wj)) / torch.where(${near}, torch.ones_like(${d}), ${d}))`;
  return eigenFrechet(k, a, e);
}
