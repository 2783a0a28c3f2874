import { createRng } from '../../src/verify/random.js';

/**
 * The four inputs the name-collision tests (test/emit-code/colliding-*.test.ts) give random names
 * to, by role: a and c columns, B a square matrix, s a scalar; their sizes, which of them each
 * command differentiates, and their values.
 */
export type Role = 'a' | 'B' | 'c' | 's';
export const ROLES: readonly Role[] = ['a', 'B', 'c', 's'];
export const DIMS: Record<Role, string> = { a: '3', B: '3x3', c: '3', s: '1' };

export type Command = 'grad' | 'diff' | 'jac' | 'hess';
/** diff and grad differentiate every input; jac and hess the vectors and the scalar (a matrix input has no matrix block). */
export const WRT: Record<Command, readonly Role[]> = { grad: ROLES, diff: ROLES, jac: ['a', 'c', 's'], hess: ['a', 'c', 's'] };

/** Input values by role, drawn here (B strictly diagonally dominant: det > 0, well conditioned). */
export function valuesOf(seed: number): Record<Role, number | number[][]> {
  const rng = createRng(seed);
  const column = () => Array.from({ length: 3 }, () => [0.5 * rng.normal()]);
  const B = Array.from({ length: 3 }, (_, i) => Array.from({ length: 3 }, (_, j) => rng.uniform(0.5, 1.5) + (i === j ? 3 : 0)));
  return { a: column(), B, c: column(), s: rng.uniform(0.6, 1.2) };
}
