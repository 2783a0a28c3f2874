import { describe, expect, it } from 'vitest';
import * as dense from '../../../src/verify/dense.js';
import { Dense, Lu } from '../../../src/verify/dense.js';
import { entries } from '../../../src/verify/dense-matrix.js';

const A = Dense.from([
  [1, 2],
  [3, 4],
]);
const B = Dense.from([
  [0, 1],
  [1, 1],
]);

describe('Dense', () => {
  it('stores row-major and round-trips nested arrays', () => {
    expect(Array.from(A.data)).toEqual([1, 2, 3, 4]);
    expect(A.get(1, 0)).toBe(3);
    expect(A.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('multiplies, adds, scales and transposes', () => {
    expect(dense.matmul(A, B).toArray()).toEqual([
      [2, 3],
      [4, 7],
    ]);
    const row = Dense.from([[1, 2, 3]]);
    const col = Dense.from([[1], [0], [2]]);
    expect(dense.matmul(row, col).toArray()).toEqual([[7]]);
    expect(dense.matmul(col, row).toArray()).toEqual([
      [1, 2, 3],
      [0, 0, 0],
      [2, 4, 6],
    ]);
    expect(dense.add(A, B).toArray()).toEqual([
      [1, 3],
      [4, 5],
    ]);
    expect(dense.addScaled(A, 2, B).toArray()).toEqual([
      [1, 4],
      [5, 6],
    ]);
    expect(dense.scale(A, -1).toArray()).toEqual([
      [-1, -2],
      [-3, -4],
    ]);
    expect(dense.transpose(row).toArray()).toEqual([[1], [2], [3]]);
    expect(dense.hadamard(A, B).toArray()).toEqual([
      [0, 2],
      [3, 4],
    ]);
    expect(dense.divide(A, A).toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('reduces', () => {
    expect(dense.trace(A)).toBe(5);
    expect(dense.sum(A)).toBe(10);
    expect(dense.norm1(dense.scale(A, -1))).toBe(10);
    expect(dense.normFrobenius(Dense.from([[3], [4]]))).toBe(5);
    expect(dense.normFrobenius(Dense.from([[3e200], [4e200]]))).toBeCloseTo(5e200, -190);
    expect(dense.frobeniusInner(A, B)).toBe(9);
    expect(dense.maxAbs(Dense.from([[1, -7]]))).toBe(7);
  });

  it('inverts and takes determinants through one LU', () => {
    expect(dense.det(A)).toBeCloseTo(-2, 14);
    const inverse = dense.inverse(A);
    expect(inverse.get(0, 0)).toBeCloseTo(-2, 14);
    expect(inverse.get(0, 1)).toBeCloseTo(1, 14);
    expect(inverse.get(1, 0)).toBeCloseTo(1.5, 14);
    expect(inverse.get(1, 1)).toBeCloseTo(-0.5, 14);
    expect(Number.isNaN(dense.logdet(A))).toBe(true);
    const M = Dense.from([
      [2, 1],
      [1, 3],
    ]);
    expect(dense.logdet(M)).toBeCloseTo(Math.log(5), 14);
    const singular = new Lu(Dense.from([
      [1, 2],
      [2, 4],
    ]));
    expect(singular.singular).toBe(true);
    expect(singular.logdet).toBe(-Infinity);
    expect(Number.isNaN(singular.inverse().data[0]!)).toBe(true);
    // A 3×3 whose pivoting needs an odd permutation: det = −1.
    const P = Dense.from([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(new Lu(P).sign).toBe(-1);
    expect(dense.det(P)).toBe(-1);
  });

  it('keeps logdet finite where det overflows', () => {
    const big = dense.scale(dense.identity(100), 1e5); // det = 1e500
    expect(dense.det(big)).toBe(Infinity);
    expect(dense.logdet(big)).toBeCloseTo(500 * Math.log(10), 9);
  });

  it('builds diagonals, identities and powers', () => {
    expect(dense.diag(A).toArray()).toEqual([[1], [4]]);
    expect(dense.diagm(Dense.from([[1], [2]])).toArray()).toEqual([
      [1, 0],
      [0, 2],
    ]);
    expect(dense.identity(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(dense.fill(1, 2, 3).toArray()).toEqual([[3, 3]]);
    expect(dense.matrixPower(A, 3).toArray()).toEqual([
      [37, 54],
      [81, 118],
    ]);
    expect(dense.matrixPower(A, 0).toArray()).toEqual(dense.identity(2).toArray());
    const fib = dense.matrixPower(B, 10); // Fibonacci matrix: [[F9, F10], [F10, F11]]
    expect(fib.toArray()).toEqual([
      [34, 55],
      [55, 89],
    ]);
  });

  it('multiplies with short inner dimensions exactly as the dot-product loop sums (signed zeros, ∞ and NaN included)', () => {
    // The loop every size used before the short inner dimensions were written out: even k into s0,
    // odd k into s1, then s0 + s1. Each entry must agree to the bit (Object.is: −0 and NaN too).
    const reference = (a: Dense, b: Dense): Dense => {
      const out = new Dense(a.rows, b.cols);
      for (let i = 0; i < a.rows; i++) {
        for (let j = 0; j < b.cols; j++) {
          let s0 = 0;
          let s1 = 0;
          let k = 0;
          for (; k + 1 < a.cols; k += 2) {
            s0 += a.get(i, k) * b.get(k, j);
            s1 += a.get(i, k + 1) * b.get(k + 1, j);
          }
          if (k < a.cols) s0 += a.get(i, k) * b.get(k, j);
          out.set(i, j, s0 + s1);
        }
      }
      return out;
    };
    const special = [-0, 0, 1e308, -1e308, Infinity, -Infinity, NaN, 5e-324];
    let seed = 7;
    const draw = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % 5 === 0 ? special[seed % special.length]! : (seed / 2147483648 - 0.5) * 10;
    };
    const random = (rows: number, cols: number): Dense => Dense.from(Array.from({ length: rows }, () => Array.from({ length: cols }, draw)));
    for (let inner = 1; inner <= 6; inner++) {
      for (const [rows, cols] of [[1, 1], [3, 4], [4, 1], [2, 7]] as const) {
        for (let trial = 0; trial < 20; trial++) {
          const a = random(rows, inner);
          const b = random(inner, cols);
          const got = dense.matmul(a, b).data;
          const want = reference(a, b).data;
          for (let e = 0; e < want.length; e++) expect(Object.is(got[e], want[e]), `${rows}×${inner}·${inner}×${cols}, entry ${e}: ${got[e]} vs ${want[e]}`).toBe(true);
        }
      }
    }
    // Products that cancel to zero: (0 + a₀b₀) + … is +0 where every product is −0.
    expect(Object.is(dense.matmul(Dense.from([[-0, -0]]), Dense.from([[1], [1]])).data[0], 0)).toBe(true);
  });

  it('multiplies 100×100 matrices quickly', () => {
    const n = 100;
    const X = new Dense(n, n);
    for (let i = 0; i < X.data.length; i++) X.data[i] = Math.sin(i);
    const start = performance.now();
    let P = X;
    for (let k = 0; k < 10; k++) P = dense.matmul(X, X);
    const perProduct = (performance.now() - start) / 10;
    console.log(`100×100 matmul: ${perProduct.toFixed(2)} ms`);
    expect(P.rows).toBe(n);
  });
});

describe('entries (storage of a Dense)', () => {
  it('is zero-filled and of the asked length at every size, from slab views and own buffers alike', () => {
    for (const count of [0, 1, 8, 9, 12, 16, 63, 64, 65, 100, 513]) {
      const a = entries(count);
      expect(a.length).toBe(count);
      expect(a.every((x) => x === 0)).toBe(true);
    }
  });

  it('never hands out overlapping storage: writing one value leaves every other unchanged', () => {
    // Enough 9–64-entry arrays to fill several slabs, each written with its own index.
    const made = Array.from({ length: 300 }, (_, i) => {
      const a = entries(9 + (i % 56));
      a.fill(i);
      return a;
    });
    made.forEach((a, i) => expect(a.every((x) => x === i)).toBe(true));
    // And values built on it stay apart: a clone is a copy, not a view of its source.
    const m = Dense.from([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    const c = m.clone();
    c.set(0, 0, 42);
    expect(m.get(0, 0)).toBe(1);
    expect(dense.matmul(m, m).toArray()).toEqual([
      [30, 36, 42],
      [66, 81, 96],
      [102, 126, 150],
    ]);
  });
});
