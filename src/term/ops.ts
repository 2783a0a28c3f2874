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
   * An abstract function's op (term/abstract-functions.ts): its first argument is the function's name
   * as a number literal, not an operand. Absent on ops that are functions of their own.
   */
  readonly abstract?: AbstractRole;
}

/**
 * What an abstract function's op stands for: f(Y) and its gradient ∇f(Y) for a scalar f the user
 * declared; g(Y) and g′(Y) for an element-wise g.
 */
export type AbstractRole = 'scalar' | 'gradient' | 'elementwise' | 'derivative';

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
  absfn: {
    doc: 'f(Y): a scalar function the user declares and does not define (--function f)',
    args: [[1, 1], ['m', 'n']],
    result: [1, 1],
    argWords: ["the function's name", 'a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    abstract: 'scalar',
  },
  absgrad: {
    doc: '∇f(Y): the gradient of an abstract scalar function f, a matrix of Y\'s shape (the upstream gradient)',
    args: [[1, 1], ['m', 'n']],
    result: ['m', 'n'],
    argWords: ["the function's name", 'a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    abstract: 'gradient',
  },
  absew: {
    doc: 'g(Y): an element-wise function the user declares and does not define (--elementwise g)',
    args: [[1, 1], ['m', 'n']],
    result: ['m', 'n'],
    argWords: ["the function's name", 'a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    abstract: 'elementwise',
  },
  absewd: {
    doc: "g′(Y): the derivative of an abstract element-wise function g, entry by entry",
    args: [[1, 1], ['m', 'n']],
    result: ['m', 'n'],
    argWords: ["the function's name", 'a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    abstract: 'derivative',
  },
} as const satisfies Record<string, OpDeclaration>;

export type OpName = keyof typeof OPS;

export const OP_NAMES = Object.keys(OPS) as readonly OpName[];

/** The ops of abstract functions (term/abstract-functions.ts): read from a declared name, never from their own. */
export const ABSTRACT_OP_NAMES = OP_NAMES.filter((op) => opDeclaration(op).abstract !== undefined);

/** The ops people may type by name: all but the abstract functions' (whose keyword is the user's name). */
export const NAMED_OP_NAMES = OP_NAMES.filter((op) => opDeclaration(op).abstract === undefined);

export function isOpName(name: string): name is OpName {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}

/** The declaration of an op, typed as the interface (the table's literal types are for OpName only). */
export function opDeclaration(op: OpName): OpDeclaration {
  return OPS[op];
}
