import { dimProduct } from '../term/dim-product.js';
import type { DerivativeBlock, Report } from '../report.js';
import { derivativeBlocks } from './blocks.js';
import type { Dim, Shape } from '../term/term.js';

/**
 * `hess --wrt x,y` as one matrix: the blocks ∂²f/∂a∂bᵀ assembled as [[H_xx, H_xy], [H_yx, H_yy]],
 * the Hessian of f in the stacked variable (vec x; vec y). Only when every block is a matrix term,
 * i.e. every variable is a scalar or a vector (a matrix variable's blocks are Kronecker forms or
 * operators). The text, LaTeX, JSON and Python views build on this grid (derivative.ts,
 * derivative-module.ts).
 */
export interface HessianGrid {
  /** The variables, in the order of --wrt: block row i and block column i follow variables[i]. */
  readonly variables: readonly string[];
  /** blocks[i][j] = ∂²f/∂(variables[i])∂(variables[j])ᵀ. */
  readonly blocks: readonly (readonly DerivativeBlock[])[];
  /** The length of vec of each variable: the height of its block row. */
  readonly sizes: readonly Dim[];
}

/** The length of vec of a shape: n for a vector, mn for a matrix (a symbolic product, written m·n). */
export function vecSize(shape: Shape): Dim {
  const [r, c] = shape;
  if (c === 1) return r;
  if (r === 1) return c;
  // A product of symbols is the shape stage's product dimension, m·n (term/dim-product.ts).
  return dimProduct([r, c]);
}

/** The sum of sizes: a number when all are known, else like terms collected, "2n+1" (the schema's symbolic dimension). */
export function sumSizes(sizes: readonly Dim[]): Dim {
  let known = 0;
  const counts = new Map<string, number>();
  for (const s of sizes) {
    if (typeof s === 'number') known += s;
    else counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  if (counts.size === 0) return known;
  const terms = [...counts].map(([d, k]) => (k === 1 ? d : `${k}${d}`));
  return [...terms, ...(known > 0 ? [String(known)] : [])].join('+');
}

/** The grid of a report's Hessian blocks with two or more scalar or vector variables, else undefined. */
export function hessianGrid(report: Pick<Report, 'blocks' | 'variables'>): HessianGrid | undefined {
  const hessian = derivativeBlocks(report).filter((b) => b.kind === 'hessian');
  const variables = [...new Set(hessian.map((b) => b.wrt))];
  if (variables.length < 2) return undefined;
  const blocks = variables.map((of) => variables.map((x) => hessian.find((b) => (b.of ?? b.wrt) === of && b.wrt === x)));
  if (blocks.some((row) => row.some((b) => b?.matrix === undefined))) return undefined;
  return { variables, blocks: blocks as DerivativeBlock[][], sizes: variables.map((v) => vecSize(report.variables.get(v)!)) };
}

/** The block matrix in text: rows separated by `;`, blocks by `,` (the matrix-literal layout). */
export function blockMatrixText(rows: readonly (readonly string[])[]): string {
  return `[${rows.map((r) => r.join(', ')).join('; ')}]`;
}

/** The block matrix in LaTeX (amsmath's bmatrix, which KaTeX has too). */
export function blockMatrixLatex(rows: readonly (readonly string[])[]): string {
  return `\\begin{bmatrix} ${rows.map((r) => r.join(' & ')).join(' \\\\ ')} \\end{bmatrix}`;
}
