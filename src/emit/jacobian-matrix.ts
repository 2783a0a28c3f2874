import * as T from '../term/factory.js';
import { isScalarShape, type Term } from '../term/term.js';
import type { Report } from '../report.js';
import { derivativeBlocks } from './blocks.js';

/**
 * `jac --wrt x,y` of a vector F in scalars x, y as one matrix, as the notes write it:
 * [∂F/∂x ∂F/∂y], the Jacobian of F in the stacked variable (x; y). Each block is a column k×1; when
 * the blocks are stacks of entries ([6xy; 2], [3x²; 8y⁷]) the matrix is built row by row,
 * [6xy, 3x²; 2, 8y⁷], otherwise as the columns side by side, [a, b]. Numerator layout only (the
 * denominator layout's blocks are rows; its matrix is this one's transpose, not shown).
 */
export interface JacobianMatrix {
  readonly variables: readonly string[];
  readonly term: Term;
}

export function jacobianMatrix(report: Pick<Report, 'blocks' | 'layout' | 'f'>): JacobianMatrix | undefined {
  const blocks = derivativeBlocks(report);
  if (report.layout !== 'numerator' || blocks.length < 2 || !blocks.every((b) => b.kind === 'jacobian')) return undefined;
  if (report.f.shape[1] !== 1) return undefined;
  const k = report.f.shape[0];
  if (!blocks.every((b) => isScalarShape(b.shape) && b.matrix !== undefined && b.of === undefined)) return undefined;
  const columns = blocks.map((b) => b.matrix!);
  const entries = columns.map((c) => entriesOf(c, k));
  const rows = entries.every((e) => e !== undefined) ? Array.from({ length: k as number }, (_, i) => row(entries.map((e) => e![i]!))) : undefined;
  const term = rows
    ? rows.length === 1
      ? rows[0]!
      : T.op('vstack', rows)
    : T.transpose(T.op('vstack', columns.map((c) => T.transpose(c))));
  return { variables: blocks.map((b) => b.wrt), term };
}

/** A column's entries, when it is written as a stack (or is 0, or a scalar); undefined otherwise. */
function entriesOf(column: Term, k: number | string): readonly Term[] | undefined {
  if (k === 1) return [column];
  if (typeof k !== 'number') return undefined;
  if (column.kind === 'zero') return Array.from({ length: k }, () => T.num(0));
  return column.kind === 'op' && column.op === 'vstack' && column.args.length === k ? column.args : undefined;
}

/** The row [a, b] of scalar entries: (vstack(a, b))ᵀ. */
function row(entries: readonly Term[]): Term {
  return T.transpose(T.op('vstack', entries));
}
