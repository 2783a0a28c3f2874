/**
 * The NumPy and PyTorch code of Xⁿ with a symbolic integer n (term/ops.ts, matpow and powsum), shared
 * by both dialects: matrix_power is spelt alike, and the gradient's sum is a generator over k. The
 * exponent, a Python number or a 0-d or (1, 1) array (n − 1 is computed), becomes the Python int
 * matrix_power needs through an integer array and .item(): code the NumPy reader reads back as n.
 */
export type Lib = 'np' | 'torch';

export function integerCode(lib: Lib, n: string): string {
  return lib === 'np' ? `np.asarray(${n}, dtype=int).item()` : `torch.as_tensor(${n}, dtype=torch.int64).item()`;
}

/**
 * Σₖ₌₀ⁿ⁻¹ (Xᵀ)ᵏ G (Xᵀ)ⁿ⁻¹⁻ᵏ (the gradient of ⟨G, Xⁿ⟩), zero for n = 0, from the code `xt` of Xᵀ. The arguments are evaluated once,
 * outside the lambda, whose parameters cannot collide with the caller's names.
 */
export function powerSumCode(lib: Lib, xt: string, n: string, g: string): string {
  const power = `${lib}.linalg.matrix_power`;
  const terms = `(${power}(A, k) @ G @ ${power}(A, N - 1 - k) for k in range(N))`;
  return `(lambda A, N, G: sum(${terms}, ${lib}.zeros_like(G)))(${xt}, ${n}, ${g})`;
}
