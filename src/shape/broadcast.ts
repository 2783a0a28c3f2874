import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import type { Ast } from '../syntax/ast.js';
import type { DimTable } from './dims.js';
import type { IShape } from './program-types.js';

/**
 * NumPy's broadcasting in a sum, as far as it has one reading. A row beside a matrix (`XW + bᵀ`,
 * `X − μᵀ`) is added to every row: the columns are unified and the term builder writes the row as
 * 𝟙bᵀ (build-terms.ts), so the printed f shows what was read and a gradient through it sums over the
 * rows (Gᵀ𝟙; the pipeline says so in a note). A column beside a matrix (`X + c`) has two readings —
 * NumPy adds a 1-D c to every row but an (n, 1) c to every column — and is refused with the ones
 * whose sizes fit. Only a genuine matrix is broadcast over: both of its dimensions known not to be 1
 * (a matrix-named factor, or --dims), so no other reading of the sum exists.
 */

/** What the shape inference offers these functions (inference.ts). */
export interface BroadcastHost {
  readonly dims: DimTable;
  readonly broadcasts: Ast[];
  shapeOf(node: Ast): IShape;
  text(node: Ast): string;
  described(node: Ast): string;
  at(span: Span): Parameters<typeof diag>[1];
  fail(diagnostic: Diagnostic): never;
}

/** The sum's shape when `row` (one row) is added to every row of the matrix `full`, else undefined. */
export function rowBroadcast(host: BroadcastHost, full: IShape, row: IShape, rowNode: Ast): IShape | undefined {
  if (!host.dims.isOne(row[0]) || !isMatrix(host.dims, full)) return undefined;
  if (!host.dims.compatible(full[1], row[1])) return undefined;
  host.dims.unify(full[1], row[1]);
  host.broadcasts.push(rowNode);
  return full;
}

/** A column beside a matrix: refused with the readings whose sizes fit (none fit: the caller's shape error). */
export function refuseColumnBroadcast(host: BroadcastHost, node: Extract<Ast, { kind: 'binary' }>, a: IShape, b: IShape): void {
  const dims = host.dims;
  const isColumn = (s: IShape) => dims.isOne(s[1]) && !dims.isOne(s[0]);
  const column = isMatrix(dims, a) && isColumn(b) ? node.right : isMatrix(dims, b) && isColumn(a) ? node.left : undefined;
  if (column === undefined) return;
  const matrix = column === node.right ? node.left : node.right;
  const [m, c] = [host.shapeOf(matrix), host.shapeOf(column)];
  const text = host.text(column);
  const wrapped = /^[\p{L}\p{N}_]+$/u.test(text) ? text : `(${text})`;
  // A row needs its length to be the matrix's columns; columns need it to be the matrix's rows.
  const readings = [
    ...(dims.compatible(c[0], m[1]) ? [`${wrapped}ᵀ to add it to every row`] : []),
    ...(dims.compatible(c[0], m[0]) ? [`${wrapped}𝟙ᵀ to add it to every column`] : []),
  ];
  if (readings.length === 0) return;
  host.fail(diag('shape/broadcast-column', host.at(node.opSpan), host.described(matrix), host.described(column), `write ${readings.join(', or ')}`));
}

/** Both dimensions are known not to be 1. */
function isMatrix(dims: DimTable, s: IShape): boolean {
  return !dims.canBeOne(s[0]) && !dims.canBeOne(s[1]);
}
