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
  expm: {
    doc: 'expm(A) = Σₖ Aᵏ/k!, the matrix exponential',
    args: [['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: true,
  },
  // L(A, E), the Fréchet derivative of expm at A in the direction E (Higham 2008, §10.6): what the
  // pullback of expm writes, as L(Aᵀ, G). Linear in E only.
  expm_frechet: {
    doc: 'expm_frechet(A, E) = L(A, E) = d/dt expm(A + tE) at t = 0',
    args: [['n', 'n'], ['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix', 'a square matrix of the same size'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: true,
  },
  // L⁽²⁾(A; E, F), the second Fréchet derivative (symmetric in E and F): what the pullback of
  // expm_frechet in A writes, so a Hessian through expm has its rules. Linear in E and in F.
  expm_frechet2: {
    doc: 'expm_frechet2(A, E, F) = d/ds L(A + sF, E) at s = 0',
    args: [['n', 'n'], ['n', 'n'], ['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix', 'a square matrix of the same size', 'a square matrix of the same size'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: true,
  },
  // The spectral norm σ₁(X), its gradient u₁v₁ᵀ and its Hessian applied to D (d(u₁v₁ᵀ)[D], self-adjoint):
  // each derivative is the next op, so grad and hess have rules; a third derivative is refused.
  specnorm: {
    doc: 'specnorm(X) = ‖X‖₂ = σ₁(X), the largest singular value (the spectral norm)',
    args: [['m', 'n']],
    result: [1, 1],
    argWords: ['a matrix'],
    linear: false,
    domain: 'simple-top-singular-value',
    positive: false,
    symmetric: false,
  },
  specnorm_grad: {
    doc: 'specnorm_grad(X) = u₁v₁ᵀ, the top singular vectors of X (the gradient of ‖X‖₂)',
    args: [['m', 'n']],
    result: ['m', 'n'],
    argWords: ['a matrix'],
    linear: false,
    domain: 'simple-top-singular-value',
    positive: false,
    symmetric: false,
  },
  specnorm_hess: {
    doc: 'specnorm_hess(X, D) = d(u₁v₁ᵀ)[D], the Hessian of ‖X‖₂ applied to D',
    args: [['m', 'n'], ['m', 'n']],
    result: ['m', 'n'],
    argWords: ['a matrix', 'a matrix of the same shape'],
    linear: false,
    domain: 'simple-top-singular-value',
    positive: false,
    symmetric: false,
  },
  // λ_max of a symmetric S (of the symmetric part (S + Sᵀ)/2, so every rule holds for any square S).
  eigmax: {
    doc: 'eigmax(S) = λ_max(S), the largest eigenvalue of the symmetric S',
    args: [['n', 'n']],
    result: [1, 1],
    argWords: ['a square matrix'],
    linear: false,
    domain: 'simple-top-eigenvalue',
    positive: false,
    symmetric: false,
  },
  eigmax_grad: {
    doc: 'eigmax_grad(S) = uuᵀ, u the top eigenvector of S (the gradient of λ_max)',
    args: [['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix'],
    linear: false,
    domain: 'simple-top-eigenvalue',
    positive: false,
    symmetric: 'always',
  },
  eigmax_hess: {
    doc: 'eigmax_hess(S, D) = d(uuᵀ)[D], the Hessian of λ_max applied to D',
    args: [['n', 'n'], ['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix', 'a square matrix of the same size'],
    linear: false,
    domain: 'simple-top-eigenvalue',
    positive: false,
    symmetric: 'always',
  },
  // The nuclear norm Σσᵢ, its gradient the polar factor UVᵀ (full rank), and its Hessian applied to D.
  nucnorm: {
    doc: 'nucnorm(X) = ‖X‖_* = Σᵢ σᵢ(X), the nuclear (trace) norm',
    args: [['m', 'n']],
    result: [1, 1],
    argWords: ['a matrix'],
    linear: false,
    domain: 'full-rank',
    positive: false,
    symmetric: false,
  },
  polar: {
    doc: 'polar(X) = UVᵀ = X(XᵀX)^(−1/2), the orthogonal polar factor (the gradient of ‖X‖_*)',
    args: [['m', 'n']],
    result: ['m', 'n'],
    argWords: ['a matrix'],
    linear: false,
    domain: 'full-rank',
    positive: false,
    symmetric: false,
  },
  polar_frechet: {
    doc: 'polar_frechet(X, D) = d polar(X)[D], the Hessian of ‖X‖_* applied to D',
    args: [['m', 'n'], ['m', 'n']],
    result: ['m', 'n'],
    argWords: ['a matrix', 'a matrix of the same shape'],
    linear: false,
    domain: 'full-rank',
    positive: false,
    symmetric: false,
  },
  // Row- and column-wise forms on matrices (attention, batches): `_rows` applies the vector function
  // to each row (NumPy axis=-1, PyTorch dim=-1), `_cols` to each column (axis=-2, dim=-2).
  softmax_rows: {
    doc: 'softmax_rows(X)ᵢⱼ = exp(Xᵢⱼ) / Σₖ exp(Xᵢₖ): each row a probability vector',
    args: [['m', 'n']],
    result: ['m', 'n'],
    argWords: ['a matrix'],
    linear: false,
    domain: 'all',
    positive: true,
    symmetric: false,
    along: 'rows',
  },
  softmax_cols: {
    doc: 'softmax_cols(X)ᵢⱼ = exp(Xᵢⱼ) / Σₖ exp(Xₖⱼ): each column a probability vector',
    args: [['m', 'n']],
    result: ['m', 'n'],
    argWords: ['a matrix'],
    linear: false,
    domain: 'all',
    positive: true,
    symmetric: false,
    along: 'cols',
  },
  log_softmax_rows: {
    doc: 'log_softmax_rows(X)ᵢⱼ = Xᵢⱼ − log Σₖ exp(Xᵢₖ)',
    args: [['m', 'n']],
    result: ['m', 'n'],
    argWords: ['a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    along: 'rows',
  },
  log_softmax_cols: {
    doc: 'log_softmax_cols(X)ᵢⱼ = Xᵢⱼ − log Σₖ exp(Xₖⱼ)',
    args: [['m', 'n']],
    result: ['m', 'n'],
    argWords: ['a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    along: 'cols',
  },
  logsumexp_rows: {
    doc: 'logsumexp_rows(X)ᵢ = log Σₖ exp(Xᵢₖ): a column, one entry per row',
    args: [['m', 'n']],
    result: ['m', 1],
    argWords: ['a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    along: 'rows',
  },
  logsumexp_cols: {
    doc: 'logsumexp_cols(X)ⱼ = log Σₖ exp(Xₖⱼ): a row, one entry per column',
    args: [['m', 'n']],
    result: [1, 'n'],
    argWords: ['a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    along: 'cols',
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
  pinv: {
    doc: 'pinv(X) = X⁺, the Moore–Penrose pseudo-inverse; for X of full rank (XᵀX)⁻¹Xᵀ or Xᵀ(XXᵀ)⁻¹',
    args: [['m', 'n']],
    result: ['n', 'm'],
    argWords: ['a matrix'],
    linear: false,
    domain: 'full-rank',
    positive: false,
    // (S⁺)ᵀ = (Sᵀ)⁺ = S⁺ for a symmetric S.
    symmetric: true,
  },
  // The principal square root and logarithm (Higham 2008, ch. 6 and 11), with their Fréchet derivatives
  // L(A, E) (what the pullbacks write, as L(Aᵀ, G)); a Hessian's rules write these ops again (pullback.rules).
  sqrtm: {
    doc: 'sqrtm(A) = A^(1/2), the principal square root (the one whose eigenvalues have positive real part)',
    args: [['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix'],
    linear: false,
    domain: 'principal',
    positive: false,
    symmetric: true,
  },
  sqrtm_frechet: {
    doc: 'sqrtm_frechet(A, E) = L(A, E), the Z solving SZ + ZS = E with S = sqrtm(A)',
    args: [['n', 'n'], ['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix', 'a square matrix of the same size'],
    linear: false,
    domain: 'principal',
    positive: false,
    symmetric: true,
  },
  logm: {
    doc: 'logm(A), the principal matrix logarithm (expm(logm(A)) = A, eigenvalues with imaginary part in (−π, π))',
    args: [['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix'],
    linear: false,
    domain: 'principal',
    positive: false,
    symmetric: true,
  },
  logm_frechet: {
    doc: 'logm_frechet(A, E) = L(A, E) = d/dt logm(A + tE) at t = 0, the inverse of expm_frechet(logm(A), ·)',
    args: [['n', 'n'], ['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix', 'a square matrix of the same size'],
    linear: false,
    domain: 'principal',
    positive: false,
    symmetric: true,
  },
  // The Kronecker product and vec (Magnus & Neudecker, ch. 2), whose dimensions are products, and the
  // contractions their pullbacks write: G of mp×nq seen as m×n blocks of p×q (block (i, j) is
  // G[ip:(i+1)p, jq:(j+1)q]); unvec(g, X) reshapes g to X's shape, X only giving the shape.
  kron: {
    doc: 'kron(A, B) = A ⊗ B, the Kronecker product: the block matrix [Aᵢⱼ B], of mp×nq for A of m×n and B of p×q',
    args: [['m', 'n'], ['p', 'q']],
    result: ['m·p', 'n·q'],
    argWords: ['a matrix', 'a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: true,
  },
  kron_contract_left: {
    doc: 'kron_contract_left(G, B)ᵢⱼ = ⟨Gᵢⱼ, B⟩ with Gᵢⱼ the (i, j) block of p×q of G (mp×nq): the left factor\'s gradient of ⟨G, A ⊗ B⟩',
    args: [['m·p', 'n·q'], ['p', 'q']],
    result: ['m', 'n'],
    argWords: ['a matrix of mp×nq', 'a matrix of p×q'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
  },
  kron_contract_right: {
    doc: 'kron_contract_right(G, A) = Σᵢⱼ Aᵢⱼ Gᵢⱼ with Gᵢⱼ the (i, j) block of p×q of G (mp×nq): the right factor\'s gradient of ⟨G, A ⊗ B⟩',
    args: [['m·p', 'n·q'], ['m', 'n']],
    result: ['p', 'q'],
    argWords: ['a matrix of mp×nq', 'a matrix of m×n'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
  },
  // vec's product is written n·m, columns first: the inference pairs a product's factors in order, so
  // (A ⊗ B)vec(X) makes X of (B's columns)×(A's columns), the reading of (A ⊗ B)vec(X) = vec(BXAᵀ).
  vec: {
    doc: 'vec(X), the columns of X (m×n) stacked into one column of mn entries',
    args: [['m', 'n']],
    result: ['n·m', 1],
    argWords: ['a vector or matrix'],
    linear: true,
    domain: 'all',
    positive: false,
    symmetric: false,
  },
  unvec: {
    doc: 'unvec(g, X), the column g of mn entries laid out column by column as a matrix of X\'s shape m×n (vec⁻¹; X gives the shape only)',
    args: [['n·m', 1], ['m', 'n']],
    result: ['m', 'n'],
    argWords: ['a column vector of mn entries', 'a matrix of m×n (its shape)'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    shapeOnly: [1],
  },
  vstack: {
    doc: '[a₁; a₂; …; a_k] = vstack(a₁, …, a_k): scalars, or rows of one length, stacked top to bottom (a k-vector, or a k×n matrix of rows)',
    args: [[1, 'n']],
    result: ['k', 'n'],
    argWords: ['a scalar or a row: a column vector or a matrix cannot be stacked (stack scalar entries, or the rows xᵀ)'],
    linear: true,
    domain: 'all',
    positive: false,
    symmetric: false,
    variadic: 'rows',
  },
  // Xⁿ with a symbolic integer n (a constant k is the term kind mpow): n is an integer parameter, and
  // the adjoint of d(Xⁿ) = Σₖ Xᵏ dX Xⁿ⁻¹⁻ᵏ (Magnus & Neudecker) is the sum powsum writes.
  matpow: {
    doc: 'matpow(X, n) = Xⁿ, the n-th power of a square X for an integer parameter n ≥ 0 (X⁰ = I)',
    args: [['n', 'n'], [1, 1]],
    result: ['n', 'n'],
    argWords: ['a square matrix', 'an integer exponent (a scalar)'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: true,
    integer: [1],
  },
  powsum: {
    doc: 'powsum(X, n, G) = Σₖ₌₀ⁿ⁻¹ (Xᵀ)ᵏ G (Xᵀ)ⁿ⁻¹⁻ᵏ, the gradient of ⟨G, Xⁿ⟩ in X (0 for n = 0)',
    args: [['n', 'n'], [1, 1], ['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix', 'an integer exponent (a scalar)', 'a square matrix of the same size'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    integer: [1],
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

