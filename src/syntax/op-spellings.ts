import type { OpName } from '../term/ops.js';

/**
 * How people spell each op of term/ops.ts besides its name (which is always its keyword): the words of
 * other tools and papers that mean exactly the same function. Typed `Record<OpName, …>`, so a new op
 * must say here whether it has other spellings (an empty list is an answer). The NumPy and LaTeX
 * dialects read their own spellings (`np.…`, `\operatorname{…}`) through these words too.
 */
export interface OpSpelling {
  /** Whole identifier runs read as the op (case-sensitive, as FUNCTION_ALIASES). */
  readonly aliases: readonly string[];
}

export const OP_SPELLINGS: Record<OpName, OpSpelling> = {
  logsumexp: { aliases: ['log_sum_exp'] },
  softmax: { aliases: [] },
  log_softmax: { aliases: ['logsoftmax'] },
  mean: { aliases: [] },
  var: { aliases: [] },
  nrows: { aliases: [] },
  ncols: { aliases: [] },
  expm: { aliases: ['matrix_exp'] },
  expm_frechet: { aliases: [] },
  expm_frechet2: { aliases: [] },
  // MATLAB's norm(X): the 2-norm of a vector, the spectral norm of a matrix (‖X‖₂ alike).
  specnorm: { aliases: ['spectral_norm', 'norm'] },
  specnorm_grad: { aliases: [] },
  specnorm_hess: { aliases: [] },
  eigmax: { aliases: ['λ_max', 'lambda_max', 'λmax'] },
  eigmax_grad: { aliases: [] },
  eigmax_hess: { aliases: [] },
  nucnorm: { aliases: ['nuclear', 'nuclear_norm'] },
  polar: { aliases: [] },
  polar_frechet: { aliases: [] },
  // Row-wise: also `_row` (singular, as some papers) — never a bare `softmax` of a matrix, which the
  // vector op refuses with the row/column spellings.
  softmax_rows: { aliases: ['softmax_row'] },
  softmax_cols: { aliases: ['softmax_col', 'softmax_columns'] },
  log_softmax_rows: { aliases: ['log_softmax_row', 'logsoftmax_rows'] },
  log_softmax_cols: { aliases: ['log_softmax_col', 'log_softmax_columns', 'logsoftmax_cols'] },
  logsumexp_rows: { aliases: ['logsumexp_row', 'log_sum_exp_rows'] },
  logsumexp_cols: { aliases: ['logsumexp_col', 'logsumexp_columns', 'log_sum_exp_cols'] },
  // Abstract functions are read under the name the user declares (term/abstract-functions.ts).
  absfn: { aliases: [] },
  absgrad: { aliases: [] },
  absew: { aliases: [] },
  absewd: { aliases: [] },
  pinv: { aliases: ['pseudoinverse'] },
  sqrtm: { aliases: [] },
  sqrtm_frechet: { aliases: [] },
  logm: { aliases: [] },
  logm_frechet: { aliases: [] },
  // A ⊗ B (and \otimes) is read by the parser as kron; MATLAB, NumPy and PyTorch all say kron.
  kron: { aliases: ['kronecker'] },
  kron_contract_left: { aliases: [] },
  kron_contract_right: { aliases: [] },
  vec: { aliases: [] },
  unvec: { aliases: [] },
  vstack: { aliases: [] }, // written [f; g] (stack-literal.ts); np.vstack in the NumPy dialect
  // Written X^n (a symbolic n; X^3 is the term kind mpow), matrix_power(X, n) in the NumPy dialect.
  matpow: { aliases: [] },
  powsum: { aliases: [] },
  columns: { aliases: [] }, // written by the read-off only, never read
};
