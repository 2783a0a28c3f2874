import type { IToken } from '../../../grammar/chevrotain.js';
import { Comma, Dot, IdentifierRun, LBracket, LParen, RBracket, RParen, Transpose } from '../../../grammar/tokens.js';
import type { Source } from '../../diagnostics/span.js';
import { end, runText, zeroWidth } from './edit.js';
import { matchingParen } from './numpy-methods.js';

/**
 * `np.reshape` and `torch.reshape` in the forms matcalc's own NumPy and PyTorch code print vec and
 * unvec with (emit/kronecker-code.ts), so that code reads back (numpy.ts):
 *
 *   np.reshape(X, (-1, 1), order='F')        vec(X)      columns stacked
 *   np.reshape(X, (-1, 1))                   vec(Xᵀ)     NumPy's default order stacks the rows
 *   np.reshape(g, np.shape(W), order='F')    unvec(g, W)
 *   torch.reshape(Z, (-1, 1))                vec(Zᵀ)     torch.reshape(torch.t(X), (-1, 1)) is vec(X)
 *   torch.reshape(g, Z.shape)                unvec(g, Zᵀ)ᵀ   row by row into Z's shape
 *
 * Every other reshape stays refused with how to write it (numpy-spellings.ts). The reading is a
 * plan over the input tokens — which to skip, which zero-width tokens to add before which — that
 * the reader follows as it walks; the arguments themselves are read by the reader as usual.
 */
export interface ReshapeReading {
  readonly fn: 'vec' | 'unvec';
  /** unvec of torch: the whole call is transposed, so a '(' goes before its name. */
  readonly transposed: boolean;
  /** Input token indices the reader drops (the shape and order arguments, `np.shape(`, `.shape`). */
  readonly skip: ReadonlySet<number>;
  /** Zero-width tokens to emit before the input token at an index (before it is dropped, if it is). */
  readonly before: ReadonlyMap<number, readonly IToken[]>;
}

/** The reading of the reshape whose '(' is tokens[open], or undefined when it is none of the forms above. */
export function readReshape(tokens: readonly IToken[], open: number, name: 'np.reshape' | 'torch.reshape', source: Source): ReshapeReading | undefined {
  const close = matchingParen(tokens, open);
  if (close < 0) return undefined;
  const args = topLevelArguments(tokens, open, close);
  if (args.some(([from, to]) => from >= to)) return undefined;
  const text = ([from, to]: readonly [number, number]): string => source.text.slice(tokens[from]!.startOffset, end(tokens[to - 1]!)).replace(/\s+/g, '');
  const [first, shape, order, ...rest] = args;
  if (first === undefined || shape === undefined || rest.length > 0) return undefined;
  const orderText = order === undefined ? undefined : text(order).replace(/"/g, "'");
  if (orderText !== undefined && (name !== 'np.reshape' || !["order='F'", "order='C'"].includes(orderText))) return undefined;
  const columnMajor = orderText === "order='F'";
  // From the first argument's end to the ')': the tokens after it, its comma included.
  const afterFirst = (): Set<number> => new Set(range(first[1], close));
  const transposeFirst = (): Map<number, IToken[]> =>
    new Map([
      [first[0], [zeroWidth(LParen, tokens[first[0]]!.startOffset)]],
      [first[1], [zeroWidth(RParen, end(tokens[first[1] - 1]!)), zeroWidth(Transpose, end(tokens[first[1] - 1]!))]],
    ]);
  if (text(shape) === '(-1,1)') {
    if (columnMajor) return { fn: 'vec', transposed: false, skip: afterFirst(), before: new Map() };
    return { fn: 'vec', transposed: false, skip: afterFirst(), before: transposeFirst() };
  }
  if (name === 'np.reshape' && columnMajor) {
    // np.shape(W): its name and brackets go, W stays as unvec's second argument.
    const [from, to] = shape;
    const head = tokens.slice(from, from + 4);
    const isShape = head.length === 4 && head[0]!.tokenType === IdentifierRun && ['np', 'numpy'].includes(runText(head[0]!)) && head[1]!.tokenType === Dot && head[2]!.tokenType === IdentifierRun && runText(head[2]!) === 'shape' && head[3]!.tokenType === LParen;
    if (!isShape || matchingParen(tokens, from + 3) !== to - 1 || from + 4 >= to - 1) return undefined;
    return { fn: 'unvec', transposed: false, skip: new Set([...range(from, from + 4), to - 1, ...range(order![0] - 1, close)]), before: new Map() };
  }
  if (name === 'torch.reshape' && order === undefined) {
    // Z.shape: Z stays, transposed; `.shape` goes; the whole reshape is transposed back.
    const [from, to] = shape;
    const dot = tokens[to - 2];
    const word = tokens[to - 1]!;
    if (to - from < 3 || dot?.tokenType !== Dot || word.tokenType !== IdentifierRun || runText(word) !== 'shape') return undefined;
    const at = tokens[from]!.startOffset;
    const zEnd = end(tokens[to - 3]!);
    const before = new Map<number, IToken[]>([
      [from, [zeroWidth(LParen, at)]],
      [to - 2, [zeroWidth(RParen, zEnd), zeroWidth(Transpose, zEnd)]],
    ]);
    return { fn: 'unvec', transposed: true, skip: new Set([to - 2, to - 1]), before };
  }
  return undefined;
}

/** The arguments of the call between tokens[open] '(' and tokens[close] ')', as index ranges [from, to). */
function topLevelArguments(tokens: readonly IToken[], open: number, close: number): [number, number][] {
  const args: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let j = open + 1; j < close; j++) {
    const type = tokens[j]!.tokenType;
    if (type === LParen || type === LBracket) depth++;
    else if (type === RParen || type === RBracket) depth--;
    else if (type === Comma && depth === 0) {
      args.push([start, j]);
      start = j + 1;
    }
  }
  args.push([start, close]);
  return args;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}
