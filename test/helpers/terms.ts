import * as F from '../../src/term/factory.js';
import type { Term } from '../../src/term/term.js';

/**
 * The variables the printer tests build their terms from: square n×n matrices, an m×n matrix,
 * n- and m-vectors and scalars, with the dimension symbols the printers see.
 */
export const n = 'n';
export const m = 'm';
export const X = F.variable('X', [n, n]);
export const S = F.variable('S', [n, n]);
export const M = F.variable('M', [n, n]);
export const W = F.variable('W', [n, n]);
export const A = F.variable('A', [m, n]);
export const x = F.variable('x', [n, 1]);
export const y = F.variable('y', [m, 1]);
export const a = F.variable('a', [n, 1]);
export const b = F.variable('b', [n, 1]);
export const s = F.variable('s', [1, 1]);
export const t = F.variable('t', [1, 1]);
export const neg = (term: Term): Term => F.mul([F.num(-1), term]);
export const T = F.transpose;
