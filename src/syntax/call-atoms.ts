import type { CstNode, IToken } from '../../grammar/chevrotain.js';
import { span, type Span } from '../diagnostics/span.js';
import type { AbstractWord, Ast, FunctionName, FunctionWord } from './ast.js';
import { alongAxis, sumAlongAxis } from './along-axis.js';
import { normOrder } from './norm-order.js';
import { applyFunction, functionArity } from './ast-nodes.js';
import { cstSpan, nodes, only, tokens, tokenSpan, type Children, type Visit } from './cst-reading.js';

/*
 * The bracketed atoms with arguments, for the AST builder (cst-to-ast.ts): calls `f(…)` (with
 * norm's order and sum's axis), inner products ⟨A, B⟩ and norms ‖X‖_p. Apart from the visitor
 * because each is read whole from one atom's children; none takes part in precedence.
 */

export function readCall(visit: Visit, ctx: Children): Ast {
  const fn = only(tokens(ctx, 'FunctionName'), 'function');
  const fnSpan = tokenSpan(fn);
  const at = span(fnSpan.start, tokenSpan(only(tokens(ctx, 'RParen'), ')')).end);
  const word = fn.payload as FunctionWord | AbstractWord;
  const expressions = nodes(ctx, 'expression');
  if (word === 'sum' && expressions.length === 2) return readSumAlongAxis(visit, fn.image, expressions, at, fnSpan);
  const strings = tokens(ctx, 'StringLiteral');
  // MATLAB's and NumPy's norm(X, p): the order picks the function (norm-order.ts).
  if (word === 'specnorm' && /(^|\.)(matrix_)?norm$/.test(fn.image) && expressions.length + strings.length === 2) return readNormWithOrder(visit, fn.image, expressions, strings[0], at, fnSpan);
  if (strings.length > 0) visit.fail('syntax/unsupported-notation', tokenSpan(strings[0]!), `the quoted ${strings[0]!.image} in ${fn.image}(…)`, ": only norm takes a quoted order (norm(X, 'fro'))");
  const args = expressions.map((a) => visit.ast(a));
  // An abstract function is written with one argument; its op's first is the name (ast-nodes.ts).
  const arity = typeof word === 'object' ? 1 : functionArity(word);
  if (args.length !== arity) visit.fail('syntax/wrong-arity', at, fn.image, arity === 1 ? 'one argument' : `${arity} arguments`, args.length);
  return applyFunction(word, args, at, fnSpan);
}

/** `norm(X, p)`: the order, a number, a name (Inf) or a quoted word, read by norm-order.ts. */
function readNormWithOrder(visit: Visit, image: string, args: readonly CstNode[], quoted: IToken | undefined, at: Span, fnSpan: Span): Ast {
  // The order's text, not its tree: `Inf` is no value matcalc reads, NumPy's `ord=1` no expression.
  const orderSpan = quoted !== undefined ? tokenSpan(quoted) : cstSpan(args[1]!)!;
  const reading = normOrder(visit.source.text.slice(orderSpan.start, orderSpan.end));
  if ('refused' in reading) visit.fail('syntax/unsupported-notation', orderSpan, `${image}(·, ${visit.source.text.slice(orderSpan.start, orderSpan.end)})`, reading.refused);
  return reading.read(visit.ast(args[0]!), at, fnSpan);
}

/** `sum(X, k)`: the row or column sums where the axis has one meaning (along-axis.ts), else refused. */
function readSumAlongAxis(visit: Visit, image: string, args: readonly CstNode[], at: Span, fnSpan: Span): Ast {
  const axis = visit.ast(args[1]!);
  if (axis.kind !== 'number' || !Number.isInteger(axis.value)) {
    visit.fail('syntax/unsupported-notation', axis.span, `${image}(X, k) with an axis k that is not a literal 0, 1 or 2`, ': write sum_rows(X) for the row sums (X𝟙) or sum_cols(X) for the column sums (𝟙ᵀX)');
  }
  const reading = sumAlongAxis(axis.value);
  if (typeof reading !== 'string') visit.fail('syntax/ambiguous-axis', axis.span, reading.refused);
  return alongAxis(reading, visit.ast(args[0]!), at, fnSpan);
}

export function readInner(visit: Visit, ctx: Children): Ast {
  const [left, right] = nodes(ctx, 'expression').map((n) => visit.ast(n));
  const at = span(only(tokens(ctx, 'LAngle'), '⟨').startOffset, tokenSpan(only(tokens(ctx, 'RAngle'), '⟩')).end);
  return { kind: 'inner', left: left!, right: right!, span: at };
}

/**
 * ‖x‖ and ‖X‖_F are norm2 (Euclidean; Frobenius for a matrix); ‖x‖₁ is norm1; ‖X‖₂ is the spectral
 * norm (the operator 2-norm, which for a vector is the Euclidean norm: the term builder makes it
 * norm2 there) and ‖X‖_* the nuclear norm.
 */
export function readNorm(visit: Visit, ctx: Children): Ast {
  const [open, close] = tokens(ctx, 'Bar');
  const arg = visit.ast(only(nodes(ctx, 'expression'), 'expression'));
  const subscript = tokens(ctx, 'Subscript')[0];
  let fn: FunctionName = 'norm2';
  const whole = span(open!.startOffset, tokenSpan(subscript ?? close!).end);
  if (subscript !== undefined) {
    // A LaTeX subscript `_{2}` carries its reading in the payload (dialects/latex.ts).
    const which = typeof subscript.payload === 'string' ? subscript.payload : subscript.image.replace(/^_/, '');
    if (which === '2' || which === '₂') return { kind: 'op', op: 'specnorm', args: [arg], span: whole, fnSpan: tokenSpan(open!) };
    if (which === '*') return { kind: 'op', op: 'nucnorm', args: [arg], span: whole, fnSpan: tokenSpan(open!) };
    if (which === '1' || which === '₁') fn = 'norm1';
    else if (which !== 'F') {
      visit.fail('syntax/unexpected-token', tokenSpan(subscript), `'${subscript.image}'`, 'a norm subscript _1, _2, _F or _*');
    }
  }
  return { kind: 'call', fn, arg, span: whole, fnSpan: tokenSpan(open!) };
}
