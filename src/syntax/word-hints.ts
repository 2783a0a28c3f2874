/**
 * How to write, with matcalc's functions, the functions people know from NumPy, PyTorch, SciPy,
 * MATLAB and papers but that matcalc does not have. Policy as data, and the one table of them: the
 * unknown-function message quotes the entry (identifiers.ts), and so do the LaTeX and NumPy passes
 * for `\operatorname{…}` and `np.…` (dialects/spellings.ts), so `softsign(x)` is answered with what to
 * type, never read as l·o·g·s·u·m·e·x·p·x. Advice never suggests a function that computes something else:
 * `expm` is the matrix exponential, so the entry says that, not "did you mean exp" (element-wise).
 *
 * Keys are lowercase; each value is the advice, `x` standing for the argument. An entry is advice,
 * not an alias (those are dialects/spellings.ts's FUNCTION_ALIASES): each one is a different
 * spelling of the same mathematics, and the user must choose to type it.
 */
export const WORD_HINTS: ReadonlyMap<string, string> = new Map([
  ['lse', 'write logsumexp(x)'],
  ['sigm', 'write σ(x) or sigmoid(x)'],
  ['softsign', 'write x ./ (1 + abs(x))'],
  ['silu', 'write x ⊙ σ(x)'],
  ['swish', 'write x ⊙ σ(x)'],
  ['avg', 'write mean(x) for the mean of the entries of x'],
  ['average', 'write mean(x) for the mean of the entries of x'],
  ['frobenius', 'write ‖X‖_F or norm2(X)'],
  ['transpose', 'write Xᵀ or X\''],
  ['dot', 'write xᵀy or ⟨x, y⟩'],
  ['inner', 'write ⟨x, y⟩ or xᵀy'],
  ['outer', 'write xyᵀ'],
  ['sqr', 'write x.^2'],
  ['pow', 'write x.^p'],
  ['power', 'write x.^p'],
  ['determinant', 'write det(X)'],
  // Acronyms, so that MSE(y) or GELU(x) is never read as a product of matrices M·S·E·y.
  ['mse', 'write mean((y − Xw).^2) (the mean squared error written out)'],
  ['mae', 'write mean(abs(y − Xw))'],
  ['rmse', 'write sqrt(mean((y − Xw).^2))'],
  ['kl', 'matcalc has no KL divergence; write sum(p .* log(p ./ q))'],
  ['nll', 'write -sum(y .* log(p)), the negative log-likelihood written out'],
  ['bce', 'write -yᵀlog(p) - (1 - y)ᵀlog(1 - p)'],
  ['elu', 'matcalc has no ELU; relu(x), softplus(x), tanh(x) and σ(x) are known'],
  ['gelu', 'matcalc has no GELU; relu(x), softplus(x), tanh(x) and σ(x) are known'],
  ['selu', 'matcalc has no SELU; relu(x), softplus(x), tanh(x) and σ(x) are known'],
  ['svd', 'matcalc has no singular value decomposition'],
  ['max', 'max and min are not differentiable everywhere; for max(x, 0) write relu(x)'],
  ['min', 'max and min are not differentiable everywhere'],
  ['maximum', 'for maximum(x, 0) write relu(x)'],
  ['eig', 'matcalc has no eigenvalues'],
  ['eigh', 'matcalc has no eigenvalues'],
  ['rank', 'rank is not differentiable'],
  ['chol', 'matcalc has no Cholesky factor'],
  ['cholesky', 'matcalc has no Cholesky factor'],
  ['ones', 'write vector(1) or 𝟙 for the ones vector (its size comes from the context)'],
  ['zeros', 'write vector(0) or matrix(0) (the size comes from the context)'],
]);
