/**
 * The core term types (term.ts re-exports them, with the functions over them): a module of its own so
 * that term/tables.ts, which term.ts's children cache uses, can name them without importing term.ts.
 */
import type { OpName } from './ops.js';

export type { OpName } from './ops.js';

export type Dim = number | string;
export type Shape = readonly [Dim, Dim];

/** Element-wise functions. `step` is the Heaviside step (the derivative of relu). */
export type ElementwiseFn =
  | 'exp'
  | 'log'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'softplus'
  | 'sqrt'
  | 'abs'
  | 'sign'
  | 'step'
  | 'log1p' // log(1 + x), accurate near 0
  | 'expm1' // exp(x) − 1, accurate near 0
  | 'log2'
  | 'log10'
  | 'logsigmoid' // log σ(x) = −softplus(−x)
  | 'sinh'
  | 'cosh'
  | 'arctan'
  | 'erf'; // the error function 2/√π ∫₀ˣ exp(−t²) dt

export const ELEMENTWISE_FNS: readonly ElementwiseFn[] = [
  'exp', 'log', 'sin', 'cos', 'tan', 'tanh', 'sigmoid', 'relu', 'softplus', 'sqrt', 'abs', 'sign', 'step',
  'log1p', 'expm1', 'log2', 'log10', 'logsigmoid', 'sinh', 'cosh', 'arctan', 'erf',
];

/** Scalar-valued reductions of one operand. norm2 is the Euclidean norm of a vector and the Frobenius norm of a matrix. */
export type ReductionKind = 'trace' | 'det' | 'logdet' | 'sum' | 'norm1' | 'norm2';

interface Base {
  /**
   * Unique per distinct term, in creation order: an index for caches and interning keys only. It
   * depends on everything the process built before, so nothing that is printed may be ordered by it
   * (canonical orders are structural: simplify/order.ts).
   */
  readonly id: number;
  readonly shape: Shape;
  /** True when no variable occurs in the term (which variables do: factory.dependencyTest). */
  readonly constant: boolean;
}

export type Term =
  | (Base & { readonly kind: 'var'; readonly name: string })
  | (Base & { readonly kind: 'num'; readonly value: number }) // always [1, 1]
  | (Base & { readonly kind: 'zero' }) // the zero matrix of `shape`
  | (Base & { readonly kind: 'ones' }) // 𝟙: all entries 1
  | (Base & { readonly kind: 'eye' }) // the identity; shape [n, n]
  | (Base & { readonly kind: 'add'; readonly terms: readonly Term[] }) // ≥ 2 terms, all of `shape`
  /**
   * Product. The [1, 1] factors multiply as scalars; the others chain-multiply in order.
   * `2·a·(A B)`: factors [2, a, A, B] when a is a scalar. ≥ 2 factors.
   */
  | (Base & { readonly kind: 'mul'; readonly factors: readonly Term[] })
  | (Base & { readonly kind: 'hmul'; readonly factors: readonly Term[] }) // Hadamard ⊙, ≥ 2 factors of `shape`
  | (Base & { readonly kind: 'hdiv'; readonly left: Term; readonly right: Term }) // element-wise ⊘, same shape
  | (Base & { readonly kind: 'transpose'; readonly operand: Term })
  | (Base & { readonly kind: 'inv'; readonly operand: Term }) // matrix inverse of a square matrix
  | (Base & { readonly kind: 'mpow'; readonly operand: Term; readonly exponent: number }) // matrix power, integer ≥ 2
  | (Base & { readonly kind: 'epow'; readonly base: Term; readonly exponent: Term }) // element-wise base.^exponent; exponent is a scalar term
  | (Base & { readonly kind: 'fn'; readonly fn: ElementwiseFn; readonly operand: Term })
  | (Base & { readonly kind: ReductionKind; readonly operand: Term }) // [1, 1]
  | (Base & { readonly kind: 'inner'; readonly left: Term; readonly right: Term }) // ⟨A, B⟩ = tr(AᵀB), [1, 1]
  | (Base & { readonly kind: 'diag'; readonly operand: Term }) // diagonal of a square matrix, as a column vector
  | (Base & { readonly kind: 'diagm'; readonly operand: Term }) // Diag(v): a column vector on the diagonal of a square matrix
  /**
   * A named function of matrix arguments declared in term/ops.ts (softmax, logsumexp, …): one kind
   * for all of them, its arguments its children, so a new function is a row in a table, not a kind.
   */
  | (Base & { readonly kind: 'op'; readonly op: OpName; readonly args: readonly Term[] });

export type TermKind = Term['kind'];
export type TermOf<K extends TermKind> = Extract<Term, { kind: K }>;
