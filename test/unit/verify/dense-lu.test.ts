import { LuDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Dense, Lu } from '../../../src/verify/dense.js';
import { createRng } from '../../../src/verify/random.js';

/*
 * The check's own LU factorisation (src/verify/dense-lu.ts) against ml-matrix's, which it replaced:
 * the same algorithm operation for operation, so det and every entry of the inverse must be the same
 * double, not merely close (the check prints figures computed from them). ml-matrix stays a
 * development dependency for this comparison.
 */

function randomMatrix(n: number, next: () => number, kind: 'dense' | 'integer' | 'rank-deficient' | 'scaled'): Dense {
  const a = new Dense(n, n);
  for (let i = 0; i < n * n; i++) {
    const u = next() * 2 - 1;
    a.data[i] = kind === 'integer' ? Math.round(u * 4) : kind === 'scaled' ? u * 10 ** Math.round(next() * 12 - 6) : u;
  }
  if (kind === 'rank-deficient' && n > 1) {
    for (let j = 0; j < n; j++) a.data[(n - 1) * n + j] = 2 * a.data[j]! - a.data[n + j]!; // last row a combination
  }
  return a;
}

const toMl = (a: Dense) => new Matrix(Array.from({ length: a.rows }, (_, i) => Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols))));

describe('Lu reproduces ml-matrix bit for bit', () => {
  const rng = createRng(7);
  const next = () => rng.next();
  const cases: [number, 'dense' | 'integer' | 'rank-deficient' | 'scaled'][] = [];
  for (const n of [1, 2, 3, 4, 5, 8, 13]) for (const kind of ['dense', 'integer', 'rank-deficient', 'scaled'] as const) cases.push([n, kind]);

  it.each(cases)('%i×%i %s', (n, kind) => {
    for (let trial = 0; trial < 5; trial++) {
      const a = randomMatrix(n, next, kind);
      const mine = new Lu(a);
      const theirs = new LuDecomposition(toMl(a));
      expect(Object.is(mine.det, theirs.determinant) || mine.det === theirs.determinant).toBe(true);
      if (theirs.isSingular()) {
        expect(mine.singular || Number.isNaN(mine.sign)).toBe(true);
        continue;
      }
      const inverse = mine.inverse();
      const expected = theirs.solve(Matrix.eye(n, n));
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(inverse.get(i, j)).toBe(expected.get(i, j));
    }
  });

  it('gives NaN where a NaN entry meets the factorisation, as ml-matrix does', () => {
    const a = Dense.from([
      [1, NaN],
      [2, 3],
    ]);
    expect(Number.isNaN(new Lu(a).det)).toBe(Number.isNaN(new LuDecomposition(toMl(a)).determinant));
    expect(Number.isNaN(new Lu(a).inverse().data[0]!)).toBe(true);
  });
});
