/**
 * The declaration of an op (term/ops.ts): its signature, domain and properties, as data.
 */

/**
 * A dimension in a signature: a letter, shared by every place that must have the same size, or 1, or
 * a product of letters written `m·p` (kron's mp × nq, vec's mn × 1: term/dim-product.ts).
 * The shape stage unifies the letters with the arguments' dimensions (so `softmax(A*x)` makes A·x a
 * column), the factory checks them on built terms, and the result's letters come from the arguments.
 * A letter that only a product binds is its quotient: G of mp × nq with B of p × q gives m and n.
 */
export type SignatureDim = string | 1;

/** The letters of a signature dimension: one for a letter, several for a product `m·p`. */
export function signatureFactors(d: string): string[] {
  return d.split('·');
}

/** A dimension of a built term (types.ts's Dim, repeated: types.ts imports this module). */
type Dim = number | string;
export type Signature = readonly [SignatureDim, SignatureDim];

/**
 * Where a function is defined, which the check samples inside of. `all`: every real input. Ops with a
 * condition (full rank, a simple eigenvalue) add their value here and the sampler's entry for it.
 */
export type OpDomain = 'all' | 'simple-top-singular-value' | 'simple-top-eigenvalue' | 'full-rank' | 'principal';

/**
 * Where a derivative rule holds, in words, for the note printed with every answer through such an op
 * ("holds where …"); the evaluator reports points too near the boundary and the check draws again.
 */
export const DOMAIN_CONDITIONS: Readonly<Record<Exclude<OpDomain, 'all'>, string>> = {
  'simple-top-singular-value': 'the largest singular value of its argument is simple (σ₁ > σ₂)',
  'simple-top-eigenvalue': 'the largest eigenvalue of its argument is simple (λ₁ > λ₂)',
  'full-rank': 'its argument has full rank',
  // sqrtm and logm: the principal branch is defined and smooth exactly there (Higham 2008, thms 1.29, 1.31).
  principal: 'its argument has no eigenvalue on the closed negative real axis (−∞, 0]',
};

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
  /**
   * The result is symmetric whenever every argument is (expm(S)), or `always` (uuᵀ, the gradient of
   * λ_max): the simplifier's Sᵀ = S.
   */
  readonly symmetric: boolean | 'always';
  /**
   * For an op whose value is a function of its arguments' shapes only (a dimension as a number): that
   * value. Where it is a number the simplifier writes the number; its derivative is 0 (its rule says so).
   */
  readonly shapeValue?: (shapes: readonly (readonly [Dim, Dim])[]) => Dim;
  /**
   * An abstract function's op (term/abstract-functions.ts): its first argument is the function's name
   * as a number literal, not an operand. Absent on ops that are functions of their own.
   */
  readonly abstract?: AbstractRole;
  /**
   * A row- or column-wise form of a vector function (softmax_rows): the lines of its argument it acts
   * along. A line of one entry (softmax_rows of a column: all ones) is refused by the shape stage.
   */
  readonly along?: 'rows' | 'cols';
  /**
   * The arguments (by index) that give only the result's shape, never a value (unvec(g, X): X's
   * shape): the derivative in them is 0, so a rule gives them no contribution and the sweeps do
   * not refuse a variable there (MC3004 is for an operand a rule cannot differentiate).
   */
  readonly shapeOnly?: readonly number[];
  /**
   * Any number (≥ 1) of arguments, each of `args[0]`'s shape, stacked: the result has one row per
   * argument (`result[0]` is the letter 'k', bound to the count). vstack, the stacked vector function
   * [f; g; h] and the Jacobian's rows [aᵀ; bᵀ]. See argumentSignatures.
   */
  readonly variadic?: 'rows';
  /**
   * The arguments (by index) that are integer parameters (the exponent n of Xⁿ): never differentiated
   * (--wrt refuses a variable there, a rule gives them no contribution, as shapeOnly), and the check
   * draws the variables in them as small non-negative integers, never finite-differencing in them.
   */
  readonly integer?: readonly number[];
  /**
   * The argument (by index) that is a bound variable, not a value: columns(B, V) reads B at V = eⱼ
   * for each j (verify/evaluate.ts expands it at the drawn sizes). Such an op is written by the
   * read-off only, never typed: it is not among the names people may type (NAMED_OP_NAMES).
   */
  readonly binds?: number;
}

/**
 * What an abstract function's op stands for: f(Y) and its gradient ∇f(Y) for a scalar f the user
 * declared; g(Y) and g′(Y) for an element-wise g.
 */
export type AbstractRole = 'scalar' | 'gradient' | 'elementwise' | 'derivative';

