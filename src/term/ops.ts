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
import type { OpDeclaration } from './op-declaration.js';
import { VECTOR_OPS } from './ops-vector.js';
import { MATRIX_FUNCTION_OPS } from './ops-matrix-functions.js';
import { ROWWISE_OPS } from './ops-rowwise.js';
import { ABSTRACT_OPS } from './ops-abstract.js';
import { LINEAR_ALGEBRA_OPS } from './ops-linear-algebra.js';

export { DOMAIN_CONDITIONS, signatureFactors, type AbstractRole, type OpDeclaration, type OpDomain, type Signature, type SignatureDim } from './op-declaration.js';

/** The table, one family per file (ops-*.ts), in this order; the structural ops below. */
export const OPS = {
  ...VECTOR_OPS,
  ...MATRIX_FUNCTION_OPS,
  ...ROWWISE_OPS,
  ...ABSTRACT_OPS,
  ...LINEAR_ALGEBRA_OPS,
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
    // The signature says the case of scalars and rows (k of them: k×n); any blocks of one width stack
    // too, p₁ + … + p_k rows (the shape stage and the factory take that case apart: a sum of dims).
    doc: '[a₁; a₂; …; a_k] = vstack(a₁, …, a_k): blocks of one width stacked top to bottom — scalars or rows (a k-vector, a k×n matrix), or columns and matrices of p₁ + … + p_k rows (a block vector [x; y], a block matrix)',
    args: [[1, 'n']],
    result: ['k', 'n'],
    argWords: ['a block of the stack\'s width (a scalar, a row, a column or a matrix)'],
    linear: true,
    domain: 'all',
    positive: false,
    symmetric: false,
    variadic: 'rows',
  },
  // The Jacobian or Hessian of a vector variable where no closed form is read off (a direction inside
  // expm_frechet, eigmax_hess, …: differentiate/vector-parts.ts): B, linear in the direction V (a
  // vector), read column by column. V is bound: B is evaluated at V = e₁, …, eₙ, never at a value of V.
  columns: {
    doc: 'columns(B, V) = [B(e₁) … B(eₙ)], the matrix whose column j is B (a column or a scalar, linear in the vector V) at V = eⱼ',
    args: [['m', 1], ['p', 'q']],
    result: ['m', 'p·q'],
    argWords: ['a column vector or a scalar', 'a vector variable (bound)'],
    linear: true,
    domain: 'all',
    positive: false,
    symmetric: false,
    binds: 1,
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
export const NAMED_OP_NAMES = OP_NAMES.filter((op) => opDeclaration(op).abstract === undefined && opDeclaration(op).binds === undefined);


/** The op names as a set: the reader asks about every word it meets. */
const OP_NAME_SET: ReadonlySet<string> = new Set(OP_NAMES);

export function isOpName(name: string): name is OpName {
  return OP_NAME_SET.has(name);
}

/** The declaration of an op, typed as the interface (the table's literal types are for OpName only). */
export function opDeclaration(op: OpName): OpDeclaration {
  return OPS[op];
}

