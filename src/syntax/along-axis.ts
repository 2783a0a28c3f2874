import type { Span } from '../diagnostics/span.js';
import type { Ast, AxisWord } from './ast.js';

/**
 * Sums along one axis of a matrix, read as the products with the ones vector they are, so the rest of
 * matcalc (shapes, rules, the simplifier, every printer) sees nothing new and the printed f shows what
 * was read: `sum_rows(X)` is X𝟙 (each row's sum, a column), `sum_cols(X)` is 𝟙ᵀX (each column's sum,
 * a row). The same suffix as the row-wise ops of term/ops.ts: `_rows` applies the reduction to each row.
 *
 * `sum(X, k)` with a numeric axis is accepted where only one convention gives it a meaning: k = 2 is
 * MATLAB's (sum along dimension 2: each row), k = 0 NumPy's (axis 0: each column). k = 1 means each
 * column in MATLAB but each row in NumPy, so it is refused with both readings (grammar/README.md).
 */
export const AXIS_WORDS: readonly AxisWord[] = ['sum_rows', 'sum_cols'];

export function isAxisWord(word: string): word is AxisWord {
  return (AXIS_WORDS as readonly string[]).includes(word);
}

/** The product with the ones vector that `word(arg)` means. */
export function alongAxis(word: AxisWord, arg: Ast, at: Span, fnSpan: Span): Ast {
  const ones: Ast = { kind: 'call', fn: 'vector', arg: { kind: 'number', value: 1, span: fnSpan }, span: fnSpan, fnSpan };
  if (word === 'sum_rows') return { kind: 'binary', op: '*', left: arg, right: ones, span: at, opSpan: fnSpan };
  return { kind: 'binary', op: '*', left: { kind: 'transpose', operand: ones, span: fnSpan }, right: arg, span: at, opSpan: fnSpan };
}

/** What `sum(X, k)` reads as, or why it is refused (k = 1, or any axis but 0, 1, 2). */
export function sumAlongAxis(axis: number): AxisWord | { readonly refused: string } {
  if (axis === 2) return 'sum_rows';
  if (axis === 0) return 'sum_cols';
  if (axis === 1) {
    return {
      refused:
        "sum(X, 1) sums each column in MATLAB (𝟙ᵀX) but each row in NumPy (X𝟙, axis 1); write sum_cols(X) for the column sums or sum_rows(X) for the row sums (or np.sum(X, axis=1) with NumPy syntax)",
    };
  }
  return { refused: `a matrix has no axis ${axis}; write sum_rows(X) for the row sums (X𝟙) or sum_cols(X) for the column sums (𝟙ᵀX)` };
}
