/**
 * How to write, with matcalc's functions, the functions people know from NumPy, PyTorch, SciPy and
 * papers but that matcalc does not have. Policy as data: the unknown-function message quotes the
 * entry, so `log1p(x)` is answered with what to type, never read as l·o·g₁·p·x.
 *
 * Keys are lowercase; each value is the advice, `x` standing for the argument. An entry is advice, not an alias: each one is a
 * different spelling of the same mathematics, and the user must choose to type it.
 */
export const WORD_HINTS: ReadonlyMap<string, string> = new Map([
  ['log1p', 'write log(1 + x)'],
  ['expm1', 'write exp(x) - 1'],
  ['logsumexp', 'write log(sum(exp(x)))'],
  ['lse', 'write log(sum(exp(x)))'],
  ['softmax', 'write exp(x)/sum(exp(x))'],
  ['logsoftmax', 'write x - log(sum(exp(x)))'],
  ['logsigmoid', 'write log(σ(x))'],
  ['log_sigmoid', 'write log(σ(x))'],
  ['logistic', 'write σ(x) or sigmoid(x)'],
  ['expit', 'write σ(x) or sigmoid(x)'],
  ['sigm', 'write σ(x) or sigmoid(x)'],
  ['softsign', 'write x ./ (1 + abs(x))'],
  ['silu', 'write x ⊙ σ(x)'],
  ['swish', 'write x ⊙ σ(x)'],
  ['log2', 'write log(x)/log(2)'],
  ['log10', 'write log(x)/log(10)'],
  ['ln', 'write log(x)'],
  ['sinh', 'write (exp(x) - exp(-x))/2'],
  ['cosh', 'write (exp(x) + exp(-x))/2'],
  ['mean', 'write sum(x)/n'],
  ['norm', 'write norm2(x) or ‖x‖ (norm1(x) for the 1-norm)'],
  ['frobenius', 'write ‖X‖_F or norm2(X)'],
  ['trace', 'write tr(X)'],
  ['transpose', 'write Xᵀ or X\''],
  ['inverse', 'write inv(X) or X⁻¹'],
  ['pinv', 'matcalc has no pseudo-inverse; write inv(XᵀX)Xᵀ when X has full column rank'],
  ['expm', 'matcalc has no matrix exponential (exp(X) is element-wise, a different function)'],
  ['logm', 'matcalc has no matrix logarithm (log(X) is element-wise; log det X is tr log X)'],
  ['sqrtm', 'matcalc has no matrix square root (sqrt(X) is element-wise)'],
  ['dot', 'write xᵀy or ⟨x, y⟩'],
  ['inner', 'write ⟨x, y⟩ or xᵀy'],
  ['outer', 'write xyᵀ'],
  ['square', 'write x.^2'],
  ['sqr', 'write x.^2'],
  ['pow', 'write x.^p'],
  ['power', 'write x.^p'],
  ['logdeterminant', 'write logdet(X) or log det X'],
  ['determinant', 'write det(X)'],
  // Acronyms, so that MSE(y) or GELU(x) is never read as a product of matrices M·S·E·y.
  ['mse', 'write ‖y − Xw‖²/n (the mean squared error written out)'],
  ['mae', 'write norm1(y − Xw)/n'],
  ['rmse', 'write sqrt(‖y − Xw‖²/n)'],
  ['kl', 'matcalc has no KL divergence; write sum(p .* log(p ./ q))'],
  ['nll', 'write -sum(y .* log(p)), the negative log-likelihood written out'],
  ['bce', 'write -yᵀlog(p) - (1 - y)ᵀlog(1 - p)'],
  ['elu', 'matcalc has no ELU; relu(x), softplus(x), tanh(x) and σ(x) are known'],
  ['gelu', 'matcalc has no GELU; relu(x), softplus(x), tanh(x) and σ(x) are known'],
  ['selu', 'matcalc has no SELU; relu(x), softplus(x), tanh(x) and σ(x) are known'],
  ['svd', 'matcalc has no singular value decomposition'],
]);
