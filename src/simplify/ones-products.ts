import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';
import type { Simplifier } from './simplifier-types.js';

/**
 * Products with 𝟙 that are simpler than they look: a stochastic matrix's row (column) sums, and 𝟙ᵀ𝟙.
 *
 * Matrices whose rows (or columns) are probability vectors: softmax_rows(X) (softmax_cols(X)) by
 * construction, or a variable assumed so (--assume Y:row-stochastic, Y:column-stochastic). A batch of
 * one-hot or soft labels, one row per example, is row-stochastic, and Y𝟙 = 𝟙 is what turns the batch
 * cross-entropy's gradient Xᵀ(Diag(Y𝟙)S − Y) into the textbook's Xᵀ(S − Y).
 */

/** Each row ≥ 0 summing to 1. */
export function isRowStochastic(s: Simplifier, t: Term): boolean {
  if (t.kind === 'op') return t.op === 'softmax_rows';
  return t.kind === 'var' && (s.context.rowStochastic?.has(t.name) ?? false);
}

/** Each column ≥ 0 summing to 1. */
export function isColumnStochastic(s: Simplifier, t: Term): boolean {
  if (t.kind === 'op') return t.op === 'softmax_cols';
  return t.kind === 'var' && (s.context.columnStochastic?.has(t.name) ?? false);
}

/**
 * simp.stochastic-ones: Y𝟙 = 𝟙 for Y row-stochastic and 𝟙ᵀY = 𝟙ᵀ for Y column-stochastic, also
 * transposed (Yᵀ𝟙 = 𝟙 column-stochastic, 𝟙ᵀYᵀ = 𝟙ᵀ row-stochastic), for two adjacent factors of a
 * chain (𝟙 a vector or a matrix of ones); undefined when they are not such a pair.
 */
export function stochasticTimesOnes(s: Simplifier, left: Term, right: Term): Term | undefined {
  if (right.kind === 'ones') {
    const sums = isRowStochastic(s, left) || (left.kind === 'transpose' && isColumnStochastic(s, left.operand));
    if (sums) return s.applied('simp.stochastic-ones', undefined, T.ones([left.shape[0], right.shape[1]]));
  }
  if (left.kind === 'transpose' && left.operand.kind === 'ones') {
    const sums = isColumnStochastic(s, right) || (right.kind === 'transpose' && isRowStochastic(s, right.operand));
    if (sums) return s.applied('simp.stochastic-ones', undefined, T.transpose(T.ones([right.shape[1], left.shape[0]])));
  }
  return undefined;
}

/**
 * simp.ones-inner: 𝟙ᵀ𝟙 = n, the length of 𝟙 as a number (nrows(𝟙), which prints as n), and so
 * 𝟙ₐₓₙ𝟙ₙₓ_b = n𝟙ₐₓ_b, for two adjacent factors of a chain whose inner dimension is not 1 (the outer
 * product 𝟙𝟙ᵀ stays: a matrix of ones reads as a bare 1 in I − 𝟙𝟙ᵀ/n). The broadcast bias's
 * gradient 𝟙𝟙ᵀ𝟙 (sum(XW + 𝟙bᵀ) in b) is n𝟙. The chain with the pair replaced by n and the ones
 * that remain, or undefined when it has no such pair.
 */
export function onesInnerProduct(s: Simplifier, chain: readonly Term[]): Term[] | undefined {
  for (let i = 0; i + 1 < chain.length; i++) {
    const left = chain[i]!;
    const right = chain[i + 1]!;
    if (!isOnes(left) || !isOnes(right) || left.shape[1] === 1) continue;
    s.applied('simp.ones-inner');
    const count = s.op('nrows', [T.ones([left.shape[1], 1])]);
    const rest = T.ones([left.shape[0], right.shape[1]]);
    return [...chain.slice(0, i), count, ...(rest.kind === 'num' ? [] : [rest]), ...chain.slice(i + 2)];
  }
  return undefined;
}

/** 𝟙 of any shape, or its transpose. */
function isOnes(t: Term): boolean {
  return t.kind === 'ones' || (t.kind === 'transpose' && t.operand.kind === 'ones');
}
