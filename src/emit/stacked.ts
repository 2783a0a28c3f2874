import type { Term, TermOf } from '../term/term.js';
import { isScalar } from '../term/term.js';
import { atom, compose, type Piece, type Printed } from './printed.js';

/**
 * Stacked vector functions as the maths writes them: vstack(f, g) is [f; g], the row
 * (vstack(a, b))ᵀ is [a, b], and a stack of such rows is a matrix [a, b; c, d] (the Jacobian of a
 * stacked function w.r.t. several scalars). One layout for the notations that write brackets (text,
 * ASCII, LaTeX's bmatrix); what differs is the punctuation.
 */
export interface StackStyle {
  readonly open: string;
  readonly close: string;
  /** Between two rows (`; `, ` \\ `). */
  readonly rowSep: string;
  /** Between two entries of a row (`, `, ` & `). */
  readonly cellSep: string;
  /** A column's entry as it is written in a row, when it is not a scalar or a transpose: `(c)ᵀ`. */
  transposed(p: Printed): Printed;
}

interface Refs {
  ref(term: Term): Printed;
  named(term: Term): boolean;
}

/** The entries of a row written as (vstack(c₁, …))ᵀ, when it is printed in place; otherwise undefined. */
function rowEntries(term: Term, refs: Refs): readonly Term[] | undefined {
  if (term.kind !== 'transpose' || refs.named(term.operand)) return undefined;
  const inner = term.operand;
  return inner.kind === 'op' && inner.op === 'vstack' && inner.args.length > 1 ? inner.args : undefined;
}

/** An entry of a row: the column cᵢᵀ of vstack(c₁ᵀ, …) written as cᵢ. */
function entry(cell: Term, style: StackStyle, refs: Refs): Printed {
  if (cell.kind === 'transpose' && !refs.named(cell)) return refs.ref(cell.operand);
  // I and 0 are their own transposes (as printed): the selection [I, 0] of a block's pullback.
  if (isScalar(cell) || cell.kind === 'eye' || cell.kind === 'zero') return refs.ref(cell);
  return style.transposed(refs.ref(cell));
}

function rowPieces(cells: readonly Term[], style: StackStyle, refs: Refs): Piece[] {
  const pieces: Piece[] = [];
  cells.forEach((cell, i) => pieces.push(...(i === 0 ? [] : [style.cellSep]), entry(cell, style, refs)));
  return pieces;
}

/** vstack(a₁, …, a_k) as [a₁; …; a_k], a row of the form (vstack(…))ᵀ as its entries. */
export function stackPrinted(node: TermOf<'op'>, style: StackStyle, refs: Refs): Printed {
  const pieces: Piece[] = [style.open];
  node.args.forEach((row, i) => {
    if (i > 0) pieces.push(style.rowSep);
    const cells = rowEntries(row, refs);
    pieces.push(...(cells ? rowPieces(cells, style, refs) : [refs.ref(row)]));
  });
  pieces.push(style.close);
  return compose(pieces, atom('').prec);
}

/** (vstack(c₁, …))ᵀ as the row [c₁, …]; undefined for any other term. */
export function rowPrinted(term: Term, style: StackStyle, refs: Refs): Printed | undefined {
  const cells = rowEntries(term, refs);
  if (!cells) return undefined;
  return compose([style.open, ...rowPieces(cells, style, refs), style.close], atom('').prec);
}
