import { describe, expect, test } from 'vitest';
import { countFlops } from '../../../src/emit/flops.js';
import { gradient } from '../../../src/pipeline.js';
import * as F from '../../../src/term/factory.js';

/** Flop counts by hand (src/emit/flops.ts states the model). */
describe('countFlops', () => {
  const A = F.variable('A', [100, 200]);
  const B = F.variable('B', [200, 300]);
  const x = F.variable('x', [300, 1]);

  test('a product is counted in the matrix-chain order the emitters use: A(Bx)', () => {
    // Bx: 200·(2·300 − 1), then A(Bx): 100·(2·200 − 1) — not (AB)x.
    expect(countFlops([F.mul([A, B, x])]).total).toBe(200 * 599 + 100 * 399);
  });

  test('with symbolic sizes the product is counted left to right, as printed', () => {
    const P = F.variable('P', ['p', 'q']);
    const Q = F.variable('Q', ['q', 'r']);
    const v = F.variable('v', ['r', 1]);
    const sizes: Record<string, number> = { p: 100, q: 200, r: 300 };
    expect(countFlops([F.mul([P, Q, v])], { size: (d) => sizes[d]! }).total).toBe(100 * 300 * 399 + 100 * 599);
  });

  test('a scalar coefficient scales the result once; a sign is free', () => {
    const X = F.variable('X', [10, 10]);
    const y = F.variable('y', [10, 1]);
    expect(countFlops([F.mul([F.num(2), X, y])]).total).toBe(10 * 19 + 10);
    expect(countFlops([F.mul([F.num(-1), X, y])]).total).toBe(10 * 19);
  });

  test('a node shared by several parents and roots is counted once', () => {
    const X = F.variable('X', [10, 10]);
    const e = F.fn('exp', X);
    const sum = F.add([e, F.hmul([e, e])]);
    // exp: 100, ⊙: 100, +: 100; the second root adds only its trace (10).
    expect(countFlops([sum]).total).toBe(300);
    expect(countFlops([sum, F.reduce('trace', e)]).total).toBe(310);
  });

  test('dense linear algebra: inverse 2n³, det and logdet ⅔n³, powers by squaring, transposes free', () => {
    const X = F.variable('X', [10, 10]);
    expect(countFlops([F.inv(X)]).total).toBe(2000);
    expect(countFlops([F.reduce('logdet', X)]).total).toBeCloseTo(2000 / 3);
    expect(countFlops([F.mpow(X, 4)]).total).toBe(2 * 1900); // X², (X²)²
    expect(countFlops([F.mpow(X, 7)]).total).toBe(4 * 1900); // X², X⁴, X²·X, X⁴·X³
    expect(countFlops([F.transpose(X)]).total).toBe(0);
  });

  test('aᵀexp(Xb) and its gradient (exp(Xb) ⊙ a)bᵀ at 64', () => {
    const r = gradient({ expression: 'aᵀexp(Xb)', wrt: 'X', dims: 'X=64x64,a=64,b=64', check: false });
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    // f: Xb 64·127, exp 64, aᵀ· 127. ∇: Xb, exp, ⊙ 64, outer product 64².
    const xb = 64 * 127;
    expect(countFlops([r.value.f]).total).toBe(xb + 64 + 127);
    expect(countFlops([r.value.gradients[0]!.gradient]).total).toBe(xb + 64 + 64 + 64 * 64);
    // Together (the emitted f_and_grad module), exp(Xb) is computed once.
    expect(countFlops([r.value.f, r.value.gradients[0]!.gradient]).total).toBe(xb + 64 + 127 + 64 + 64 * 64);
  });

  test('a symbolic size without a resolver is an internal error', () => {
    const P = F.variable('P', ['p', 'p']);
    expect(() => countFlops([F.inv(P)])).toThrow();
  });
});
