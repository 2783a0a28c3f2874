import { describe, expect, test } from 'vitest';
import { asMatrixTerm, kronTreeSize, normalizeKron, type Kron } from '../../../src/differentiate/kronecker-form.js';
import { vecJacobian } from '../../../src/differentiate/linear-map.js';
import { emitText } from '../../../src/emit/text.js';
import * as T from '../../../src/term/factory.js';
import { Dense, matmul, maxAbs, subtract, transpose } from '../../../src/verify/dense.js';
import { commutation, evaluateKron, kronecker, vec } from '../../../src/verify/linear-map.js';
import { createRng } from '../../../src/verify/random.js';

/** The Magnus–Neudecker identities the read-off relies on, numerically, and the read-off on small cases. */

function random(rows: number, cols: number, seed: number): Dense {
  const rng = createRng(seed);
  const d = new Dense(rows, cols);
  for (let i = 0; i < d.data.length; i++) d.data[i] = rng.normal();
  return d;
}

describe('vec, ⊗ and K', () => {
  test('vec stacks columns', () => {
    expect(Array.from(vec(Dense.from([[1, 2], [3, 4], [5, 6]])).data)).toEqual([1, 3, 5, 2, 4, 6]);
  });
  test('vec(AXB) = (Bᵀ ⊗ A) vec(X)', () => {
    const [a, x, b] = [random(3, 4, 1), random(4, 2, 2), random(2, 5, 3)];
    const left = vec(matmul(matmul(a, x), b));
    const right = matmul(kronecker(transpose(b), a), vec(x));
    expect(maxAbs(subtract(left, right))).toBeLessThan(1e-12);
  });
  test('K vec(A) = vec(Aᵀ), and K is a permutation', () => {
    const a = random(3, 4, 4);
    expect(maxAbs(subtract(matmul(commutation(3, 4), vec(a)), vec(transpose(a))))).toBe(0);
    const k = commutation(3, 4);
    expect(maxAbs(subtract(matmul(transpose(k), k), matmul(k, transpose(k))))).toBe(0);
  });
});

describe('reading a matrix off a differential', () => {
  const n = 'n';
  const A = T.variable('A', [n, 'm']);
  const x = T.variable('x', ['m', 1]);
  const dx = T.variable('dx', ['m', 1]);
  const dX = T.variable('dX', ['m', 'k']);

  test('A dx → A; (aᵀdx)b → baᵀ; h ⊙ dx → Diag(h)', () => {
    const a = T.variable('a', ['m', 1]);
    const b = T.variable('b', [n, 1]);
    const h = T.variable('h', ['m', 1]);
    const read = (d: ReturnType<typeof T.mul>) => {
      const j = vecJacobian(d, dx);
      if (!j || 'unreadable' in j) throw new Error('no read-off');
      return emitText([asMatrixTerm(j)!]).main[0];
    };
    expect(read(T.mul([A, dx]))).toBe('A');
    expect(read(T.mul([b, T.mul([T.transpose(a), dx])]))).toBe('baᵀ');
    expect(read(T.hmul([h, dx]))).toBe('diag(h)');
  });

  test('A dX B → (Bᵀ ⊗ A), evaluated equal to the definition', () => {
    const B = T.variable('B', ['k', 'p']);
    const j = vecJacobian(T.mul([A, dX, B]), dX) as Kron;
    expect(j.k).toBe('kron');
    const values = new Map([
      ['A', random(3, 4, 5)],
      ['B', random(2, 5, 6)],
    ]);
    const sizes = new Map([['n', 3], ['m', 4], ['k', 2], ['p', 5]]);
    const jd = evaluateKron(j, { values, dimSizes: sizes });
    const v = random(4, 2, 7);
    const expected = vec(matmul(matmul(values.get('A')!, v), values.get('B')!));
    expect(maxAbs(subtract(matmul(jd, vec(v)), expected))).toBeLessThan(1e-12);
  });

  test('a product of two direction-dependent factors is not linear: no matrix', () => {
    expect(vecJacobian(T.mul([T.transpose(dx), dx]), dx)).toEqual({ unreadable: 'a product of two factors that depend on the direction' });
  });

  test('normalizeKron: I ⊗ I is the identity, 1·J is J', () => {
    const I = T.eye(n);
    const e: Kron = { k: 'scale', c: T.num(1), e: { k: 'product', factors: [{ k: 'kron', a: I, b: I }, { k: 'commutation', rows: n, cols: n }] } };
    expect(normalizeKron(e)).toEqual({ k: 'commutation', rows: n, cols: n });
  });

  test('kronTreeSize counts leaves up to the limit', () => {
    const leaf: Kron = { k: 'vec', t: x, row: true };
    const big: Kron = { k: 'sum', terms: Array.from({ length: 100 }, () => leaf) };
    expect(kronTreeSize(leaf, 10)).toBe(1);
    expect(kronTreeSize(big, 10)).toBeGreaterThan(10);
  });
});
