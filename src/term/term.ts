import { pairOf, singleOf } from './tables.js';
import type { Dim, ReductionKind, Shape, Term, TermOf } from './types.js';

/**
 * Core terms: the engine's one representation, shared by the sweep, the simplifier, the printers and
 * the evaluator. A closed union: each operation is a module with an exhaustive switch over `kind`.
 *
 * Every term is a matrix with a shape [rows, cols]; a dimension is an integer or a symbol ('n').
 * A term whose shape is exactly [1, 1] is a *scalar*: in a `mul` it scales instead of chaining,
 * and the shape stage decides every scalar/matrix question once (see grammar/README.md).
 *
 * Build terms only through the factory (factory.ts): equal structure ⇒ the same object (===), so
 * terms can be compared with === and used as Map keys (or index a per-term table by id, memo.ts).
 */
export * from './types.js';
export { OPS, OP_NAMES, NAMED_OP_NAMES, ABSTRACT_OP_NAMES, isOpName, opDeclaration, type OpDeclaration, type Signature } from './ops.js';
export { acceptsArity, argumentSignatures, argumentWords, ARITY_LETTER } from './op-arity.js';

export const REDUCTIONS: readonly ReductionKind[] = ['trace', 'det', 'logdet', 'sum', 'norm1', 'norm2'];

export function isReduction(term: Term): term is TermOf<ReductionKind> {
  return (REDUCTIONS as readonly string[]).includes(term.kind);
}

export function isScalarShape(shape: Shape): boolean {
  return shape[0] === 1 && shape[1] === 1;
}

export function isScalar(term: Term): boolean {
  return isScalarShape(term.shape);
}

/**
 * The direct children of a term, in order. Every walk over the DAG asks for them at each step, so
 * the arrays for leaves (one shared empty array) and for unary and binary nodes (one array per node,
 * kept by term id in tables.ts) are made once instead of at every call; the arrays are shared:
 * never mutate them.
 */
export function childrenOf(term: Term): readonly Term[] {
  switch (term.kind) {
    case 'var':
    case 'num':
    case 'zero':
    case 'ones':
    case 'eye':
      return NO_CHILDREN;
    case 'add':
      return term.terms;
    case 'mul':
    case 'hmul':
      return term.factors;
    case 'hdiv':
    case 'inner':
      return pairOf(term.id, term.left, term.right);
    case 'epow':
      return pairOf(term.id, term.base, term.exponent);
    case 'transpose':
    case 'inv':
    case 'mpow':
    case 'fn':
    case 'trace':
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
    case 'diag':
    case 'diagm':
      return singleOf(term.id, term.operand);
    case 'op':
      return term.args; // frozen when built, one array per node
  }
}

const NO_CHILDREN: readonly Term[] = Object.freeze([]);

export function shapeText(shape: Shape): string {
  if (isScalarShape(shape)) return 'scalar';
  return `${dimInShape(shape[0])}×${dimInShape(shape[1])}`;
}

/** A dimension as a side of a shape: a sum in parentheses, (m+n)×1, never m+n×1. */
export function dimInShape(d: Dim): string {
  return typeof d === 'string' && d.includes('+') ? `(${d})` : String(d);
}
