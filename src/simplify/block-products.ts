/**
 * Products of stacks and blocks, apart from the rest of products.ts: the pullback of a stack puts
 * a selection [I, 0] or a row of entries before its adjoint, and these multiply it out against the
 * stack it meets ([I, 0][x; y] = x, [a₁, a₂][b₁; b₂] = a₁b₁ + a₂b₂).
 */
import type { Shape, Term } from '../term/term.js';
import type { Simplifier } from './simplifier-types.js';

/**
 * simp.stack-inner, simp.stack-sum: a row of scalar entries times a column of scalar entries,
 * [a₁, …, a_k][b₁; …; b_k] = Σᵢ aᵢbᵢ, with 𝟙 as a column of ones (the pullback's eᵢᵀG of a stack
 * meets a stack, or 𝟙 from a sum, this way). Undefined unless the chain is such a pair.
 */
const SCALAR_SHAPE: Shape = [1, 1];

export function stackedInnerProduct(s: Simplifier, chain: readonly Term[]): Term | undefined {
  if (chain.length !== 2) return undefined;
  const [row, column] = chain as [Term, Term];
  const left = row.kind === 'transpose' ? scalarEntries(row.operand) : undefined;
  // 𝟙 as a column (k×1) or a row (1×k) only: a matrix of ones is not a sum of entries.
  const right = column.kind === 'ones' && column.shape[1] === 1 ? 'ones' : scalarEntries(column);
  if (left === undefined || right === undefined) {
    const entries = row.kind === 'ones' && row.shape[0] === 1 ? scalarEntries(column) : undefined;
    return entries && s.applied('simp.stack-sum', undefined, s.add(entries, SCALAR_SHAPE));
  }
  if (right === 'ones') return s.applied('simp.stack-sum', undefined, s.add(left, SCALAR_SHAPE));
  if (right.length !== left.length) return undefined;
  return s.applied('simp.stack-inner', undefined, s.add(left.map((a, i) => s.mul([a, right[i]!])), SCALAR_SHAPE));
}

/**
 * simp.block-product: a row of blocks times a column of blocks with the same partition,
 * [A₁, …, A_k][B₁; …; B_k] = Σᵢ AᵢBᵢ (Cookbook §9.1): the selection [I, 0] that the pullback of a
 * block vector puts before its adjoint meets the stack [x; y] this way, [I, 0][x; y] = x. The first
 * adjacent such pair in the chain is multiplied out; undefined when there is none.
 */
export function blockProduct(s: Simplifier, chain: readonly Term[]): Term[] | undefined {
  for (let i = 0; i + 1 < chain.length; i++) {
    const row = chain[i]!;
    const column = chain[i + 1]!;
    if (row.kind !== 'transpose' || row.operand.kind !== 'op' || row.operand.op !== 'vstack') continue;
    const left = row.operand.args;
    const right = columnBlocks(s, column, left);
    if (right === undefined) continue;
    if (left.length !== right.length || left.some((a, j) => a.shape[0] !== right[j]!.shape[0])) continue;
    const shape: Shape = [row.shape[0], column.shape[1]];
    const parts = left.map((a, j) => s.mul([s.transpose(a), right[j]!]));
    const sum = s.applied('simp.block-product', undefined, s.add(parts, shape));
    return [...chain.slice(0, i), sum, ...chain.slice(i + 2)];
  }
  return undefined;
}

/**
 * The blocks of a column of blocks: a stack's, or — before a selection (every block of the row I or
 * 0) — an element-wise function of a stack taken block by block, f∘[x; y] = [f∘x; f∘y], so
 * [I, 0]exp([x; y]) = exp(x) without growing any other product.
 */
function columnBlocks(s: Simplifier, column: Term, row: readonly Term[]): readonly Term[] | undefined {
  if (column.kind === 'op' && column.op === 'vstack') return column.args;
  const selection = row.every((b) => b.kind === 'eye' || b.kind === 'zero' || b.kind === 'num');
  if (selection && column.kind === 'fn' && column.operand.kind === 'op' && column.operand.op === 'vstack') {
    const fn = column.fn;
    return column.operand.args.map((a) => s.fn(fn, a));
  }
  return undefined;
}

/** The entries of a stack of scalars; undefined for any other term. */
function scalarEntries(t: Term): readonly Term[] | undefined {
  return t.kind === 'op' && t.op === 'vstack' && t.args.every((a) => a.shape[0] === 1 && a.shape[1] === 1) ? t.args : undefined;
}
