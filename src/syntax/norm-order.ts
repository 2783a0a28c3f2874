import type { Span } from '../diagnostics/span.js';
import type { Ast } from './ast.js';

/**
 * MATLAB's and NumPy's norm with an order, `norm(X, p)` (also `np.linalg.norm(X, ord=p)`,
 * `torch.norm(x, p=1)`): the order picks the function, as those tools define it. 2 is the operator
 * 2-norm (a vector's Euclidean norm, a matrix's spectral norm), 'fro' the Frobenius norm, 'nuc' the
 * nuclear norm, 1 a vector's Σ|xᵢ|. A matrix's 1- and ∞-norms (the largest absolute column and row
 * sums) and a vector's ∞-norm are maxima, differentiable only where the maximum is unique: refused,
 * with what to write. Policy as data: one row per order, the reader (cst-to-ast.ts) applies it.
 */
export type NormReading = { readonly read: (arg: Ast, at: Span, fnSpan: Span) => Ast } | { readonly refused: string };

/** What `norm(·, 1)` needs: a vector (the shape stage refuses a matrix with this reason). */
export const VECTOR_ONE_NORM =
  "norm(·, 1), the 1-norm Σ|xᵢ| of a vector (of a matrix, MATLAB and NumPy mean the largest absolute column sum, a maximum matcalc does not differentiate; norm1(X) is the entry-wise Σ|Xᵢⱼ|),";

const INFINITY =
  ": the ∞-norm is a maximum (the largest |xᵢ| of a vector, the largest absolute row sum of a matrix), which matcalc does not differentiate; write norm(x, 2), norm(x, 1) or norm(X, 'fro')";

const ORDERS: ReadonlyMap<string, NormReading> = new Map<string, NormReading>([
  ['2', { read: (arg, at, fnSpan) => ({ kind: 'op', op: 'specnorm', args: [arg], span: at, fnSpan }) }],
  ['fro', { read: (arg, at, fnSpan) => ({ kind: 'call', fn: 'norm2', arg, span: at, fnSpan }) }],
  ['nuc', { read: (arg, at, fnSpan) => ({ kind: 'op', op: 'nucnorm', args: [arg], span: at, fnSpan }) }],
  ['1', { read: (arg, at, fnSpan) => ({ kind: 'call', fn: 'norm1', arg, span: at, fnSpan, vectorOnly: VECTOR_ONE_NORM }) }],
  ...['inf', 'Inf', '∞', 'np.inf', 'math.inf', 'torch.inf', "float('inf')", 'float("inf")'].map((k) => [k, { refused: INFINITY }] as const),
]);

/** The order as written (`2`, `'fro'`, `"fro"`, `ord=1`, `p=1`, `Inf`), normalised: quotes, keyword and spaces dropped. */
export function normOrderText(text: string): string {
  return text.replace(/\s+/g, '').replace(/^(?:ord|p)=/, '').replace(/^(['"])(.*)\1$/, '$2');
}

/** The reading of a norm of that order, or why it is refused. */
export function normOrder(text: string): NormReading {
  const order = normOrderText(text);
  return ORDERS.get(order) ?? { refused: `: matcalc reads the orders 2 (a vector's 2-norm, a matrix's spectral norm), 1 (a vector's Σ|xᵢ|), 'fro' and 'nuc'` };
}
