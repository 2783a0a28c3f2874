/**
 * Named functions of matrix arguments ("ops"), declared once as data.
 *
 * The early functions (tr, det, logdet, sum, norms, inv, diag, Diag, Aᵏ) are term kinds of their own,
 * so each one is a case in some twenty switches. Every function added since is an *op*: one term kind,
 * `{ kind: 'op', op, args }`, and one row of this table saying what the function is — its arity and
 * shapes, whether it is linear, where it is defined. A stage that must know the function itself (how to
 * evaluate it, print it, count its flops, spell it) keeps a table typed `Record<OpName, …>`, so adding a
 * row here makes the compiler list every stage still missing an entry; everything else (interning,
 * traversal, dependency tests, canonical order, rule matching, rebuilding) treats an op's arguments as
 * plain children and needs no change. How to add one: docs/architecture.md, "How to add an op".
 */

/**
 * A dimension in a signature: a letter, shared by every place that must have the same size, or 1.
 * The shape stage unifies the letters with the arguments' dimensions (so `softmax(A*x)` makes A·x a
 * column), the factory checks them on built terms, and the result's letters come from the arguments.
 */
export type SignatureDim = string | 1;
/** A dimension of a built term (types.ts's Dim, repeated: types.ts imports this module). */
type Dim = number | string;
export type Signature = readonly [SignatureDim, SignatureDim];

/**
 * Where a function is defined, which the check samples inside of. `all`: every real input. Ops with a
 * condition (full rank, a simple eigenvalue) add their value here and the sampler's entry for it.
 */
export type OpDomain = 'all';

export interface OpDeclaration {
  /** One line in the notation of the maths, for listings and messages. */
  readonly doc: string;
  /** Each argument's shape; the number of entries is the arity. */
  readonly args: readonly Signature[];
  /** The result's shape, in the arguments' letters (or 1). */
  readonly result: Signature;
  /** What each argument must be, in words, for the shape error that refuses another ("a column vector"). */
  readonly argWords: readonly string[];
  /** Linear in its arguments (mean, vec): the derivative is the op itself applied to the direction. */
  readonly linear: boolean;
  readonly domain: OpDomain;
  /** Every entry of the result is > 0 wherever it is defined (softmax): the simplifier's |p| = p, log's domain. */
  readonly positive: boolean;
  /** The result is symmetric whenever every argument is (expm(S)): the simplifier's Sᵀ = S. */
  readonly symmetric: boolean;
  /**
   * For an op whose value is a function of its arguments' shapes only (a dimension as a number): that
   * value. Where it is a number the simplifier writes the number; its derivative is 0 (its rule says so).
   */
  readonly shapeValue?: (shapes: readonly (readonly [Dim, Dim])[]) => Dim;
}

export const OPS = {
  logsumexp: {
    doc: 'logsumexp(x) = log Σᵢ exp(xᵢ)',
    args: [['n', 1]],
    result: [1, 1],
    argWords: ['a column vector'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
  },
  softmax: {
    doc: 'softmax(x) = exp(x) / Σᵢ exp(xᵢ), the probabilities of the logits x',
    args: [['n', 1]],
    result: ['n', 1],
    argWords: ['a column vector'],
    linear: false,
    domain: 'all',
    positive: true,
    symmetric: false,
  },
  log_softmax: {
    doc: 'log_softmax(x) = x − logsumexp(x), the log-probabilities of the logits x',
    args: [['n', 1]],
    result: ['n', 1],
    argWords: ['a column vector'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
  },
  mean: {
    doc: 'mean(X) = sum(X) / (mn), the mean of all entries (of a vector: its n entries)',
    args: [['m', 'n']],
    result: [1, 1],
    argWords: ['a vector or matrix'],
    linear: true,
    domain: 'all',
    positive: false,
    symmetric: false,
  },
  var: {
    doc: 'var(x) = mean((x − mean(x)𝟙).^2), the population variance of the entries of x (as np.var; divides by n, not n − 1)',
    args: [['n', 1]],
    result: [1, 1],
    argWords: ['a column vector'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
  },
  nrows: {
    doc: 'nrows(X) = m for X of m×n: a dimension as a number (`sum(x)/n` reads n so)',
    args: [['m', 'n']],
    result: [1, 1],
    argWords: ['a vector or matrix'],
    linear: false,
    domain: 'all',
    positive: true,
    symmetric: false,
    shapeValue: ([shape]) => shape![0],
  },
  ncols: {
    doc: 'ncols(X) = n for X of m×n: a dimension as a number',
    args: [['m', 'n']],
    result: [1, 1],
    argWords: ['a vector or matrix'],
    linear: false,
    domain: 'all',
    positive: true,
    symmetric: false,
    shapeValue: ([shape]) => shape![1],
  },
} as const satisfies Record<string, OpDeclaration>;

export type OpName = keyof typeof OPS;

export const OP_NAMES = Object.keys(OPS) as readonly OpName[];

export function isOpName(name: string): name is OpName {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}

/** The declaration of an op, typed as the interface (the table's literal types are for OpName only). */
export function opDeclaration(op: OpName): OpDeclaration {
  return OPS[op];
}
