import type { IToken } from '../../grammar/chevrotain.js';
import { matrixExprParser } from '../../grammar/parser.js';
import { Comma, Newline, Semicolon } from '../../grammar/tokens.js';
import { diag, DiagnosticError } from '../diagnostics/diagnostic.js';
import { span, type Source, type Span } from '../diagnostics/span.js';
import type { Ast } from './ast.js';
import { expressionFromCst } from './cst-to-ast.js';
import type { Problems } from './problems.js';
import { syntaxDiagnostic } from './syntax-errors.js';

/**
 * A bracketed stack, `[f; g]`, `[f, g]`, `[a, b; c, d]` (the notes', MATLAB's and matcalc's own
 * output), read into the op vstack (term/ops.ts), which stacks scalars or rows top to bottom:
 *
 *   [r₁; r₂; …]      vstack(r₁, r₂, …)            each row a scalar or a row (1×n)
 *   [c₁, c₂, …]      (vstack(c₁ᵀ, c₂ᵀ, …))ᵀ        one row: columns side by side (scalars: a row)
 *   [a, b; c, d]     vstack([a, b], [c, d])        rows of entries: each entry a scalar
 *
 * The shape stage decides what each entry is (vstack's signature), so a column stacked under
 * another (a block vector) or a matrix inside a stack is refused there, with its shape. Here: a
 * ragged matrix, an empty entry, and an entry that is a product written with a space (`[a b; c]`,
 * which MATLAB reads as two entries).
 */

/** The tokens of `[ … ]` (brackets included, nested brackets already Group tokens) as an AST. */
export function stackFromTokens(group: readonly IToken[], source: Source, end: number, syntax: Problems, semantic: Problems): Ast {
  const open = group[0]!;
  const close = group[group.length - 1]!;
  const whole = span(open.startOffset, close.startOffset + close.image.length);
  const rows = splitCells(group.slice(1, -1));
  const cells = rows.map((row) => row.map((cell) => parseCell(cell, whole, source, end, syntax)));
  const width = rows[0]!.length;
  const ragged = rows.findIndex((row) => row.length !== width);
  if (ragged >= 0) {
    semantic.add(diag('syntax/stacking', { source, span: whole }, `its rows have ${rows.map((r) => r.length).join(', ')} entries`, 'give every row the same number of entries, separated by commas; rows are separated by semicolons'));
    return cells[0]![0]!;
  }
  // In LaTeX's bmatrix entries are separated by &, and a space is only a space.
  if (!open.image.startsWith('\\')) for (const row of cells) for (const cell of row) refuseSpacedProduct(cell, source, semantic);
  const fnSpan = span(open.startOffset, open.startOffset + open.image.length);
  const stacked = (args: readonly Ast[], at: Span): Ast => ({ kind: 'op', op: 'vstack', args, span: at, fnSpan });
  const transposed = (operand: Ast, at: Span): Ast => ({ kind: 'transpose', operand, span: at });
  const rowOf = (entries: readonly Ast[]): Ast => {
    if (entries.length === 1) return entries[0]!;
    const at = span(entries[0]!.span.start, entries[entries.length - 1]!.span.end);
    return transposed(stacked(entries.map((e) => transposed(e, e.span)), at), at);
  };
  if (cells.length === 1 && width === 1) return cells[0]![0]!; // [f] is f
  if (cells.length === 1) return { ...(rowOf(cells[0]!) as Extract<Ast, { kind: 'transpose' }>), span: whole };
  return stacked(cells.map(rowOf), whole);
}

/** Rows at `;` (or a line break), entries at `,`; an empty entry is refused by the cell's parse. */
function splitCells(tokens: readonly IToken[]): IToken[][][] {
  const rows: IToken[][][] = [[[]]];
  for (const token of tokens) {
    const row = rows[rows.length - 1]!;
    if (token.tokenType === Semicolon || token.tokenType === Newline) rows.push([[]]);
    else if (token.tokenType === Comma) row.push([]);
    else row[row.length - 1]!.push(token);
  }
  return rows;
}

const EMPTY: Ast = { kind: 'number', value: 0, span: span(0, 0) };

function parseCell(cell: readonly IToken[], whole: Span, source: Source, end: number, syntax: Problems): Ast {
  if (cell.length === 0) {
    syntax.add(diag('syntax/stacking', { source, span: whole }, 'it has an empty entry', 'write an expression between every two separators'));
    return EMPTY;
  }
  const parser = matrixExprParser;
  parser.load([...cell]);
  const cst = parser.expression();
  const error = parser.errors[0];
  if (error !== undefined) {
    syntax.add(syntaxDiagnostic(error, source, end, parser.openers));
    return EMPTY;
  }
  try {
    return expressionFromCst(cst, source, end);
  } catch (problem) {
    if (!(problem instanceof DiagnosticError)) throw problem;
    syntax.add(problem.diagnostic);
    return EMPTY;
  }
}

/**
 * `[a b; c]`: MATLAB separates entries by spaces, matcalc multiplies juxtaposed factors. Inside a
 * stack, a product written with a space between two operands is refused with both readings;
 * `[3x^2y; 2x + y^8]` (no space in a product) and `[2 x]`… only the first reads.
 */
function refuseSpacedProduct(cell: Ast, source: Source, semantic: Problems): void {
  const pending: Ast[] = [cell];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === 'binary' && node.op === '*' && node.opSpan.end > node.opSpan.start && /^\s+$/.test(source.text.slice(node.opSpan.start, node.opSpan.end))) {
      const left = source.text.slice(node.left.span.start, node.left.span.end);
      const right = source.text.slice(node.right.span.start, node.right.span.end);
      semantic.add(diag('syntax/stacking', { source, span: node.opSpan }, `'${left} ${right}' could be one entry (the product) or two (MATLAB's [a b])`, `write ${left}*${right} for the product, or ${left}, ${right} for two entries`));
      return;
    }
    if (node.kind === 'binary' || node.kind === 'negate') pending.push(...(node.kind === 'binary' ? [node.left, node.right] : [node.operand]));
  }
}
