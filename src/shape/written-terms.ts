import type { FunctionName } from '../syntax/ast.js';
import * as T from '../term/factory.js';
import { isScalarShape, type OpName, type Shape, type Term } from '../term/term.js';

/*
 * The term each written operation builds from typed operands: one reading, shared by the shape
 * stage's pass 2 (build-terms.ts) and the rule matcher's direct build (rewrite/local-rules.ts), so
 * that the two cannot read an operation differently.
 */

/** 1/t: a number's reciprocal as a number, anything else as t.^-1. */
export function reciprocal(t: Term): Term {
  if (t.kind === 'num' && t.value !== 0) return T.num(1 / t.value);
  return T.epow(t, T.num(-1));
}

/**
 * The term A .* B or A ./ B builds from its (typed) operands, of `shape`: with a scalar operand a
 * product (or a quotient spread over 𝟙). One reading, for the shape stage and for the rule matcher's
 * and the reverse sweep's direct build (rewrite/local-rules.ts, buildDirect).
 */
export function elementwiseTerm(op: '.*' | './', a: Term, b: Term, shape: Shape): Term {
  const aScalar = isScalarShape(a.shape);
  const bScalar = isScalarShape(b.shape);
  if (op === '.*') return aScalar || bScalar ? T.mul([a, b]) : T.hmul([a, b]);
  if (bScalar) return T.mul([a, reciprocal(b)]);
  if (aScalar) return T.hdiv(T.mul([a, T.ones(shape)]), b);
  return T.hdiv(a, b);
}

/**
 * An op applied to built arguments. The spectral and nuclear norms of a vector (or a 1×1) are its
 * Euclidean norm — one singular value, ‖x‖ — so ‖x‖₂ builds norm2 and prints and differentiates as
 * ever; only a matrix argument keeps the op.
 */
export function opTerm(op: OpName, args: readonly Term[]): Term {
  const only = args[0]!;
  if ((op === 'specnorm' || op === 'nucnorm') && (only.shape[0] === 1 || only.shape[1] === 1)) return T.reduce('norm2', only);
  return T.op(op, args);
}

/**
 * The term a call of a function builds from its (typed) argument: the shape stage's reading of tr,
 * det, inv, diag, square and the element-wise functions. The rule matcher builds replacements with
 * it too (rewrite/local-rules.ts), so the two cannot read a function differently. The fills
 * vector(·)/matrix(·) and the rule files' d(·) depend on where they stand: their callers decide.
 */
export function callTerm(fn: Exclude<FunctionName, 'vector' | 'matrix' | 'd'>, arg: Term): Term {
  switch (fn) {
    case 'tr':
      return T.reduce('trace', arg);
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
      return T.reduce(fn, arg);
    case 'inv':
      return isScalarShape(arg.shape) ? T.epow(arg, T.num(-1)) : T.inv(arg);
    case 'diag':
      if (isScalarShape(arg.shape)) return arg;
      return arg.shape[1] === 1 ? T.diagm(arg) : T.diag(arg);
    case 'square':
      return T.epow(arg, T.num(2)); // np.square(x) is x.^2, and prints as that
    case 'log':
      return logOfOp(arg) ?? T.fn('log', arg);
  }
  // Every other name is an element-wise function: T.fn takes only those, so a new name that is not
  // one fails to compile here instead of being built as one.
  return T.fn(fn, arg);
}

/**
 * The log-sum-exp family written out is read as its op (grammar/README.md, "Functions of vectors"):
 * the same function, which prints as the textbook writes it (∇ log Σ exp(xᵢ) = softmax(x)) and is
 * emitted without overflow (np.log(np.sum(np.exp(x))) is inf at x = 1000). Only of a column vector,
 * the ops' argument: log(sum(exp(X))) of a matrix stays as written.
 *   log(sum(exp(x))) → logsumexp(x)        log(softmax(x)) → log_softmax(x)
 */
function logOfOp(arg: Term): Term | undefined {
  if (arg.kind === 'sum' && arg.operand.kind === 'fn' && arg.operand.fn === 'exp' && isColumn(arg.operand.operand)) {
    return T.op('logsumexp', [arg.operand.operand]);
  }
  if (arg.kind === 'op' && arg.op === 'softmax') return T.op('log_softmax', arg.args);
  return undefined;
}

/** exp(x)/sum(exp(x)) → softmax(x), for a column x (see logOfOp). */
export function softmaxWritten(numerator: Term, denominator: Term): Term | undefined {
  if (numerator.kind !== 'fn' || numerator.fn !== 'exp' || !isColumn(numerator.operand)) return undefined;
  return denominator.kind === 'sum' && denominator.operand === numerator ? T.op('softmax', [numerator.operand]) : undefined;
}

function isColumn(t: Term): boolean {
  return t.shape[1] === 1 && t.shape[0] !== 1;
}
