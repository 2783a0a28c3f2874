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
};
