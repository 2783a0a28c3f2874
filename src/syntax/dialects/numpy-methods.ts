import type { IToken, TokenType } from '../../../grammar/chevrotain.js';
import { DotCaret, FunctionName, IdentifierRun, LBracket, LParen, NumberLiteral, RBracket, RParen, Transpose } from '../../../grammar/tokens.js';
import type { AxisWord } from '../ast.js';
import type { OpName } from '../../term/ops.js';
import { closestName } from '../identifiers.js';
import { covering, end, runText, zeroWidth, type DialectContext } from './edit.js';
import { PYTHON_METHODS } from './numpy-spellings.js';
import { operandStart } from './numpy-tokens.js';
import { AXIS_METHODS, axisOf, axisWord, type AxisForms } from './numpy-axes.js';

/**
 * Python method calls and attributes after an operand, for the NumPy/PyTorch reader (numpy.ts):
 * `.T`, `.sum()`, `.reshape(())`, `X.sum(axis=1)`, `X.shape[0]`, `x.pow(2)`, rewritten into the
 * tokens of matcalc's own notation (a zero-width function name and '(' before the operand, a ')'
 * covering the method). One job, apart from the reader's calls and parentheses.
 */
export interface MethodHost {
  readonly tokens: readonly IToken[];
  /** The reader's output so far: the operand the method applies to ends it. */
  readonly out: IToken[];
  readonly context: DialectContext;
  /** Opens the group of an infix method's argument at tokens[i] ('('), closed by one more ')'. */
  readonly openOperandGroup: (i: number) => number;
}

/** The index of the ')' matching the '(' at tokens[i], or −1. */
export function matchingParen(tokens: readonly IToken[], i: number): number {
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    const type = tokens[j]!.tokenType;
    if (type === LParen) depth++;
    else if (type === RParen && --depth === 0) return j;
  }
  return -1;
}

/** `.T`, `.sum()`, `.item()`, `.reshape(())` after an operand. */
export function readMethod(host: MethodHost, i: number): number {
  const dot = host.tokens[i]!;
  const word = host.tokens[i + 1];
  if (word?.tokenType !== IdentifierRun) return host.out.push(dot), i;
  const name = runText(word);
  const method = PYTHON_METHODS.get(name);
  const at = { start: dot.startOffset, end: end(word) };
  const source = host.context.source;
  if (host.tokens[i + 2]?.tokenType === LParen && AXIS_METHODS.has(name)) {
    const callEnd = matchingParen(host.tokens, i + 2);
    const axis = callEnd < 0 ? undefined : axisOf(host.tokens.slice(i + 3, callEnd));
    if (axis !== undefined) return methodAlongAxis(host, i, callEnd, AXIS_METHODS.get(name)!, axis);
  }
  if (method === undefined) {
    const near = closestName(name, [...PYTHON_METHODS.keys()]);
    host.context.report('syntax/unknown-python', at, `.${name}`, near === undefined ? '' : ` — did you mean '.${near}'?`);
    return i + 1;
  }
  if (name === 'shape') {
    const axis = shapeAxis(host, i);
    if (axis !== undefined) return dimension(host, i, axis);
  }
  if (typeof method === 'object' && 'refuse' in method) {
    host.context.report('syntax/unsupported-notation', at, `'.${name}'`, method.refuse);
    return i + 1;
  }
  if (typeof method === 'object') return infixMethod(host, i, method.infix);
  const hasCall = host.tokens[i + 2]?.tokenType === LParen;
  const callEnd = hasCall ? matchingParen(host.tokens, i + 2) : i + 1;
  if (callEnd < 0) return i + 1; // unclosed: the parser reports it
  const tail = covering(RParen, source, dot.startOffset, end(host.tokens[callEnd]!));
  if (method === 'transpose') {
    if (hasCall && callEnd !== i + 3) return refuseArguments(host, name, at), callEnd;
    host.out.push(covering(Transpose, source, dot.startOffset, end(host.tokens[callEnd]!)));
    return callEnd;
  }
  if (method === 'drop') {
    // A scalar or a column stays what it is: reshape(()), reshape(1, 1), reshape(-1, 1) (matcalc's own output).
    if (name === 'reshape' && !/^\.reshape\(\s*(\(\s*\)|-1|1\s*,\s*1|-1\s*,\s*1|\(\s*-?1\s*,\s*1\s*\))\s*\)$/.test(tail.image)) return refuseArguments(host, name, at), callEnd;
    return callEnd;
  }
  if (!hasCall || callEnd !== i + 3) return refuseArguments(host, name, at), callEnd;
  if (method === 'square') {
    // x.square() → (x .^ 2)
    const start = operandStart(host.out);
    if (start < 0) return host.out.push(dot), i;
    host.out.splice(start, 0, zeroWidth(LParen, host.out[start]!.startOffset));
    host.out.push(zeroWidth(DotCaret, dot.startOffset), zeroWidth(NumberLiteral, dot.startOffset, 2), tail);
    return callEnd;
  }
  // x.sum() → sum(x): the call's name and parenthesis are zero-width before the operand.
  const start = operandStart(host.out);
  if (start < 0) return host.out.push(dot), i;
  const first = host.out[start]!;
  host.out.splice(start, 0, zeroWidth(FunctionName, first.startOffset, method), zeroWidth(LParen, first.startOffset));
  host.out.push(tail);
  return callEnd;
}

/** `X.sum(axis=1)`, `X.softmax(dim=-1)` → sum_rows(X), softmax_rows(X): zero-width name and '(' before the operand. */
function methodAlongAxis(host: MethodHost, i: number, callEnd: number, forms: AxisForms, axis: { value: number; token: IToken }): number {
  const dot = host.tokens[i]!;
  const start = operandStart(host.out);
  if (start < 0) return host.out.push(dot), i;
  const word = axisWordOrRefuse(host, forms, axis);
  const first = host.out[start]!;
  host.out.splice(start, 0, zeroWidth(FunctionName, first.startOffset, word), zeroWidth(LParen, first.startOffset));
  host.out.push(covering(RParen, host.context.source, dot.startOffset, end(host.tokens[callEnd]!)));
  return callEnd;
}

/** The form for the axis (axisWord); any other axis is refused, the row form standing in. */
export function axisWordOrRefuse(host: MethodHost, forms: AxisForms, axis: { value: number; token: IToken }): AxisWord | OpName {
  const word = axisWord(forms, axis.value);
  if (word !== undefined) return word;
  host.context.report('syntax/ambiguous-axis', { start: axis.token.startOffset, end: end(axis.token) }, `a matrix has no axis ${axis.value}; axis=1 (or -1) is along each row, axis=0 (or -2) along each column`);
  return forms.rows;
}

/** `X.shape[0]` / `X.shape[1]`: the axis, when the index is the literal 0 or 1 (else undefined: refused). */
function shapeAxis(host: MethodHost, i: number): 0 | 1 | undefined {
  const [open, index, close] = [host.tokens[i + 2], host.tokens[i + 3], host.tokens[i + 4]];
  if (open?.tokenType !== LBracket || index?.tokenType !== NumberLiteral || close?.tokenType !== RBracket) return undefined;
  return index.image === '0' ? 0 : index.image === '1' ? 1 : undefined;
}

/**
 * `X.shape[0]` → nrows(X), `X.shape[1]` → ncols(X): how matcalc's NumPy and PyTorch code print a
 * dimension as a number (∇ mean(x) = 𝟙/n is `np.ones(…) / x.shape[0]`), so the code reads back.
 * The call's name and '(' are zero-width before the operand; the ')' covers `.shape[k]`.
 */
function dimension(host: MethodHost, i: number, axis: 0 | 1): number {
  const dot = host.tokens[i]!;
  const start = operandStart(host.out);
  if (start < 0) return host.out.push(dot), i;
  const first = host.out[start]!;
  host.out.splice(start, 0, zeroWidth(FunctionName, first.startOffset, axis === 0 ? 'nrows' : 'ncols'), zeroWidth(LParen, first.startOffset));
  host.out.push(covering(RParen, host.context.source, dot.startOffset, end(host.tokens[i + 4]!)));
  return i + 4;
}

/** `x.pow(2)` → (x .^ (2)): a zero-width '(' before the operand, closed after the argument's ')'. */
function infixMethod(host: MethodHost, i: number, operator: TokenType): number {
  const dot = host.tokens[i]!;
  const word = host.tokens[i + 1]!;
  const start = operandStart(host.out);
  if (host.tokens[i + 2]?.tokenType !== LParen || start < 0) {
    host.context.report('syntax/unsupported-notation', { start: dot.startOffset, end: end(word) }, `'.${runText(word)}' here`, `: call it on an operand, as in x.${runText(word)}(y)`);
    return i + 1;
  }
  host.out.splice(start, 0, zeroWidth(LParen, host.out[start]!.startOffset));
  host.out.push(covering(operator, host.context.source, dot.startOffset, end(word)));
  return host.openOperandGroup(i + 2);
}

function refuseArguments(host: MethodHost, name: string, at: { start: number; end: number }): void {
  // A reshape to one column is vec in one memory order or the other: written vec(X) instead, never guessed.
  const advice = RESHAPES.has(name) ? `; for the columns of X stacked (order='F') write vec(X), for its rows stacked (NumPy's default order) vec(Xᵀ)` : '';
  host.context.report('syntax/unsupported-notation', at, `'.${name}(…)' with arguments`, `: write .${name}() (axis and keyword arguments are not supported)${advice}`);
}

/** The methods that lay an array out as one column, in an order given by their arguments. */
const RESHAPES = new Set(['reshape', 'flatten', 'ravel']);
