import type { IToken } from '../../grammar/chevrotain.js';
import { Caret, DotCaret, DotSlash, DotStar, DoubleStar, Minus, Plus, Slash, Star } from '../../grammar/tokens.js';
import { span, type Span } from '../diagnostics/span.js';
import { isOpName, opDeclaration } from '../term/ops.js';
import { encodeFunctionName } from '../term/abstract-functions.js';
import type { AbstractWord, Ast, BinaryOp, Definition, FunctionWord } from './ast.js';
import { tokenSpan } from './cst-reading.js';
import { alongAxis, isAxisWord } from './along-axis.js';

/**
 * Small AST makers and tests the builder (cst-to-ast.ts) uses: operators by token, MATLAB's left
 * division, folded negative exponents, prefix operators applied, numerals and definitions told
 * apart. Separate: each makes or inspects one node, with no part in the visitor's walk.
 */

const BINARY_OPS = new Map<unknown, BinaryOp>([
  [Plus, '+'],
  [Minus, '-'],
  [Star, '*'],
  [Slash, '/'],
  [DotStar, '.*'],
  [DotSlash, './'],
  [Caret, '^'],
  [DotCaret, '.^'],
  [DoubleStar, '.^'], // Python's ** is element-wise in NumPy
]);

export function binaryOp(token: IToken): BinaryOp {
  const op = BINARY_OPS.get(token.tokenType);
  if (op === undefined) throw new Error(`CST invariant: '${token.image}' is not a binary operator`);
  return op;
}

/** MATLAB's `A\\b` is inv(A)·b. */
export function leftDivide(left: Ast, right: Ast, opSpan: Span): Ast {
  return binary('*', { kind: 'call', fn: 'inv', arg: left, span: left.span, fnSpan: opSpan }, right, opSpan);
}

export function binary(op: BinaryOp, left: Ast, right: Ast, opSpan: Span): Ast {
  return { kind: 'binary', op, left, right, span: span(left.span.start, right.span.end), opSpan };
}

/** A negated number literal in an exponent is the number itself: X^-1, X^(-1) and X⁻¹ agree. */
export function foldNegativeNumber(ast: Ast): Ast {
  if (ast.kind === 'negate' && ast.operand.kind === 'number') return { kind: 'number', value: -ast.operand.value, span: ast.span };
  return ast;
}

/** How many arguments a function word takes: an op's declared arity, solve's two, else one. */
export function functionArity(word: FunctionWord): number {
  if (word === 'solve') return 2;
  return isOpName(word) ? opDeclaration(word).args.length : 1;
}

/** Stands in for an operand that the division reads itself (see #divide). */
export const UNUSED: Ast = { kind: 'name', name: '', span: span(0, 0) };

/**
 * Applies prefix operators, innermost (last) first: a bare function name becomes a call, `-` a
 * negation; a unary plus changes nothing and leaves no node behind.
 */
export function applyPrefixes(prefixes: readonly IToken[], operand: Ast): Ast {
  let result = operand;
  for (let i = prefixes.length - 1; i >= 0; i--) {
    const prefix = prefixes[i]!;
    const at = span(prefix.startOffset, result.span.end);
    if (prefix.tokenType === Minus) result = { kind: 'negate', operand: result, span: at };
    else if (prefix.tokenType !== Plus) result = applyFunction(prefix.payload as FunctionWord | AbstractWord, [result], at, tokenSpan(prefix));
  }
  return result;
}

/** A function word applied to its arguments: an `op` node for an op of term/ops.ts, else a call of one argument. */
export function applyFunction(word: FunctionWord | AbstractWord, args: readonly Ast[], at: Span, fnSpan: Span): Ast {
  // An abstract function's op takes the function's name as its first argument, written as its code.
  if (typeof word === 'object') return { kind: 'op', op: word.abstract, args: [{ kind: 'number', value: encodeFunctionName(word.name), span: fnSpan }, ...args], span: at, fnSpan };
  if (word === 'solve') return { ...leftDivide(args[0]!, args[1]!, fnSpan), span: at };
  if (isOpName(word)) return { kind: 'op', op: word, args, span: at, fnSpan };
  if (isAxisWord(word)) return alongAxis(word, args[0]!, at, fnSpan);
  return { kind: 'call', fn: word, arg: args[0]!, span: at, fnSpan };
}

/** A number, or a negated or divided one (`-1`, `1/2`): a numerator that makes `…/2x` a coefficient fraction. */
export function isNumeral(ast: Ast): boolean {
  const pending = [ast]; // a stack, not recursion: `1/2/3/…` may be long
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === 'negate') pending.push(node.operand);
    else if (node.kind === 'binary' && (node.op === '/' || node.op === '*')) pending.push(node.left, node.right);
    else if (node.kind !== 'number') return false;
  }
  return true;
}

export function isDefinition(statement: Ast | Definition): statement is Definition {
  return !('kind' in statement);
}
