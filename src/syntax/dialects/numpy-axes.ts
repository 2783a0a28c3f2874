import type { IToken } from '../../../grammar/chevrotain.js';
import { Comma, Equals, LBracket, LParen, Minus, NumberLiteral, RBracket, RParen } from '../../../grammar/tokens.js';
import type { OpName } from '../../term/ops.js';
import type { AxisWord } from '../ast.js';
import { runText } from './edit.js';

/*
 * NumPy's axis (PyTorch's dim) on a matrix, for the NumPy dialect (numpy.ts): the calls and methods
 * that take one, each with its row form (axis 1 or −1) and column form (axis 0 or −2) — the row- and
 * column-wise ops of term/ops.ts and the sums of ../along-axis.ts.
 */

/**
 * Calls with a NumPy axis (or PyTorch dim) read as a row or column form: the word for each. Without
 * the axis argument the call is read by PYTHON_FUNCTIONS as before (the vector function, or advice).
 */
export interface AxisForms {
  readonly rows: AxisWord | OpName;
  readonly cols: AxisWord | OpName;
}
export const AXIS_CALLS: ReadonlyMap<string, AxisForms> = new Map<string, AxisForms>([
  ['np.sum', { rows: 'sum_rows', cols: 'sum_cols' }],
  ['torch.sum', { rows: 'sum_rows', cols: 'sum_cols' }],
  ['special.softmax', { rows: 'softmax_rows', cols: 'softmax_cols' }],
  ['torch.softmax', { rows: 'softmax_rows', cols: 'softmax_cols' }],
  ['F.softmax', { rows: 'softmax_rows', cols: 'softmax_cols' }],
  ['special.log_softmax', { rows: 'log_softmax_rows', cols: 'log_softmax_cols' }],
  ['torch.log_softmax', { rows: 'log_softmax_rows', cols: 'log_softmax_cols' }],
  ['F.log_softmax', { rows: 'log_softmax_rows', cols: 'log_softmax_cols' }],
  ['special.logsumexp', { rows: 'logsumexp_rows', cols: 'logsumexp_cols' }],
  ['torch.logsumexp', { rows: 'logsumexp_rows', cols: 'logsumexp_cols' }],
]);

/** Methods with an axis: `X.sum(axis=1)`, `X.sum(1)`, PyTorch's `X.softmax(dim=-1)`. */
export const AXIS_METHODS: ReadonlyMap<string, AxisForms> = new Map<string, AxisForms>([
  ['sum', { rows: 'sum_rows', cols: 'sum_cols' }],
  ['softmax', { rows: 'softmax_rows', cols: 'softmax_cols' }],
  ['log_softmax', { rows: 'log_softmax_rows', cols: 'log_softmax_cols' }],
  ['logsumexp', { rows: 'logsumexp_rows', cols: 'logsumexp_cols' }],
]);

/** An axis argument: `1`, `-1`, `axis=1`, `dim=-2` (a literal integer), else undefined. */
export function axisOf(arg: readonly IToken[]): { value: number; token: IToken } | undefined {
  let rest = arg;
  if (rest[0] !== undefined && ['axis', 'dim'].includes(runText(rest[0])) && rest[1]?.tokenType === Equals) rest = rest.slice(2);
  const negative = rest[0]?.tokenType === Minus;
  const literal = rest[negative ? 1 : 0];
  if (literal?.tokenType !== NumberLiteral || rest.length !== (negative ? 2 : 1) || !/^\d+$/.test(literal.image)) return undefined;
  return { value: (negative ? -1 : 1) * Number(literal.image), token: literal };
}

/** The row form for axis 1 or −1, the column form for 0 or −2; undefined for an axis a matrix lacks. */
export function axisWord(forms: AxisForms, axis: number): AxisWord | OpName | undefined {
  if (axis === 1 || axis === -1) return forms.rows;
  if (axis === 0 || axis === -2) return forms.cols;
  return undefined;
}

/** `keepdims=True` (NumPy) or `keepdim=True` (PyTorch): the row and column forms keep their dimensions anyway. */
export function isKeepDims(arg: readonly IToken[]): boolean {
  return arg.length === 3 && ['keepdims', 'keepdim'].includes(runText(arg[0]!)) && arg[1]!.tokenType === Equals && runText(arg[2]!) === 'True';
}

/** `((n, 1))` or `(n, 1)`, the arguments of np.ones: a shape whose columns are the literal 1. */
export function isColumnShape(args: readonly IToken[]): boolean {
  const inner = args.filter((t) => t.tokenType !== RParen);
  const last = inner[inner.length - 1];
  return last?.tokenType === NumberLiteral && last.image === '1' && inner[inner.length - 2]?.tokenType === Comma;
}

/** Whether the call whose '(' is tokens[open] has two or three arguments (an axis, and perhaps keepdims). */
export function hasAxisArguments(tokens: readonly IToken[], open: number): boolean {
  let depth = 0;
  let commas = 0;
  for (let j = open; j < tokens.length; j++) {
    const type = tokens[j]!.tokenType;
    if (type === LParen || type === LBracket) depth++;
    else if (type === RParen || type === RBracket) {
      if (--depth === 0) return commas === 1 || commas === 2;
    } else if (type === Comma && depth === 1) commas++;
  }
  return false;
}
