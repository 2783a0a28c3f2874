import { describe, expect, test } from 'vitest';
import { emitText } from '../../../src/emit/text.js';
import * as F from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';

import { n, X, S, M, W, A, x, y, a, b, s, t, neg, T } from '../../helpers/terms.js';

const text = (term: Term): string => {
  const e = emitText([term]);
  expect(e.where).toEqual([]);
  return e.main[0]!;
};

describe('emitText: textbook notation', () => {
  test('(exp(Xb) ⊙ a)bᵀ', () => {
    expect(text(F.mul([F.hmul([F.fn('exp', F.mul([X, b])), a]), T(b)]))).toBe('(exp(Xb) ⊙ a)bᵀ');
  });

  test('2Aᵀ(Ax − y)', () => {
    expect(text(F.mul([F.num(2), T(A), F.add([F.mul([A, x]), neg(y)])]))).toBe('2Aᵀ(Ax − y)');
  });

  test('(S + Sᵀ)x', () => {
    expect(text(F.mul([F.add([S, T(S)]), x]))).toBe('(S + Sᵀ)x');
  });

  test('transpose of an inverse is X⁻ᵀ; inverse of a transpose keeps its parentheses', () => {
    expect(text(T(F.inv(X)))).toBe('X⁻ᵀ');
    expect(text(F.inv(X))).toBe('X⁻¹');
    expect(text(F.inv(T(X)))).toBe('(Xᵀ)⁻¹');
    expect(text(T(F.inv(F.add([X, S]))))).toBe('(X + S)⁻ᵀ');
  });

  test('3(X²)ᵀ and matrix powers', () => {
    expect(text(F.mul([F.num(3), T(F.mpow(X, 2))]))).toBe('3(X²)ᵀ');
    expect(text(F.mpow(X, 12))).toBe('X¹²');
    expect(text(F.mpow(T(X), 3))).toBe('(Xᵀ)³');
  });

  test('postfix operators parenthesise products and negations', () => {
    expect(text(T(F.mul([A, X])))).toBe('(AX)ᵀ');
    expect(text(T(F.add([F.mul([A, x]), neg(y)])))).toBe('(Ax − y)ᵀ');
    expect(text(T(neg(x)))).toBe('(−x)ᵀ');
    expect(text(F.mul([T(x), S, x]))).toBe('xᵀSx');
  });

  test('scalar factors: coefficient first, then scalars, then the chain', () => {
    expect(text(F.mul([X, s, F.num(2), x]))).toBe('2sXx');
    expect(text(F.mul([F.num(-2), x]))).toBe('−2x');
    expect(text(neg(x))).toBe('−x');
    expect(text(F.mul([F.num(0.5), x]))).toBe('0.5x');
    expect(text(F.mul([F.num(2), F.mul([T(x), x]), X]))).toBe('2(xᵀx)X');
    expect(text(F.mul([F.reduce('trace', X), S]))).toBe('tr(X)S');
    expect(text(F.mul([F.num(-1), F.mul([T(x), S, x]), x]))).toBe('−(xᵀSx)x');
    expect(text(F.mul([S, x, T(x)]))).toBe('Sxxᵀ');
  });

  test('a scalar epow with a negative exponent goes to a denominator', () => {
    const xx = F.mul([T(x), x]);
    expect(text(F.mul([F.add([S, T(S)]), x, F.epow(xx, F.num(-1))]))).toBe('(S + Sᵀ)x / (xᵀx)');
    expect(text(F.mul([F.num(2), S, x, F.epow(F.reduce('norm2', x), F.num(-1))]))).toBe('2Sx / ‖x‖');
    expect(text(F.mul([F.num(-2), s, F.epow(t, F.num(-2)), x]))).toBe('−2sx / t²');
    expect(text(F.mul([x, F.epow(s, F.num(-1)), F.epow(t, F.num(-1))]))).toBe('x / (st)');
    expect(text(F.mul([F.num(2), F.epow(s, F.num(-0.5))]))).toBe('2 / s^0.5');
    expect(text(F.epow(s, F.num(-1)))).toBe('s⁻¹');
  });

  test('sums: a negative coefficient prints as − term', () => {
    expect(text(F.add([F.mul([F.num(-2), x]), a, neg(b), F.mul([F.num(-3), s, b])]))).toBe('−2x + a − b − 3sb');
    expect(text(F.add([s, F.num(-3)]))).toBe('s − 3');
    expect(text(F.add([a, neg(F.add([b, x]))]))).toBe('a − (b + x)');
    expect(text(F.add([a, F.add([b, x])]))).toBe('a + (b + x)');
    expect(text(F.add([F.add([a, b]), x]))).toBe('a + b + x');
  });

  test('a broadcast scalar prints as the scalar inside a sum, as s𝟙 elsewhere', () => {
    const Y = F.variable('Y', [n, n]);
    expect(text(F.add([F.ones([n, n]), neg(Y)]))).toBe('1 − Y');
    expect(text(F.add([F.mul([s, F.ones([n, n])]), Y]))).toBe('s + Y');
    expect(text(F.add([Y, F.mul([F.num(-2), s, F.ones([n, n])])]))).toBe('Y − 2s');
    expect(text(F.mul([s, F.ones([n, 1])]))).toBe('s𝟙');
    // With no matrix term left the sum would read back as a scalar, so the 𝟙 stays.
    expect(text(F.add([F.ones([n, 1]), F.mul([s, F.ones([n, 1])])]))).toBe('𝟙 + s𝟙');
  });

  test('element-wise operators', () => {
    expect(text(F.hmul([a, b, x]))).toBe('a ⊙ b ⊙ x');
    expect(text(F.hdiv(a, F.hmul([a, b])))).toBe('a ⊘ (a ⊙ b)');
    expect(text(F.hmul([a, neg(b)]))).toBe('a ⊙ (−b)');
    expect(text(F.hmul([F.mul([S, x]), a]))).toBe('Sx ⊙ a');
    expect(text(F.hmul([a, F.mul([S, x])]))).toBe('a ⊙ Sx');
    expect(text(F.epow(x, F.num(2)))).toBe('x.^2');
    expect(text(F.epow(X, s))).toBe('X.^s');
    expect(text(F.epow(F.mul([A, x]), F.num(-0.5)))).toBe('(Ax).^(−0.5)');
    expect(text(F.epow(s, F.num(2)))).toBe('s²');
    expect(text(F.epow(s, F.num(0.5)))).toBe('s^0.5');
    expect(text(F.epow(F.add([s, t]), F.num(3)))).toBe('(s + t)³');
  });

  test('functions, reductions, norms, inner products, constants', () => {
    expect(text(F.fn('sigmoid', F.mul([W, X])))).toBe('σ(WX)');
    for (const f of ['exp', 'log', 'tanh', 'relu', 'softplus', 'sqrt', 'abs', 'sign', 'step'] as const) {
      expect(text(F.fn(f, x))).toBe(`${f}(x)`);
    }
    expect(text(F.reduce('trace', X))).toBe('tr(X)');
    expect(text(F.reduce('det', X))).toBe('det(X)');
    expect(text(F.reduce('logdet', X))).toBe('logdet(X)');
    expect(text(F.reduce('sum', X))).toBe('sum(X)');
    expect(text(F.reduce('norm2', x))).toBe('‖x‖');
    expect(text(F.reduce('norm2', X))).toBe('‖X‖_F');
    expect(text(F.reduce('norm1', x))).toBe('‖x‖₁');
    expect(text(F.epow(F.reduce('norm2', x), F.num(2)))).toBe('‖x‖²');
    expect(text(F.inner(X, S))).toBe('⟨X, S⟩');
    expect(text(F.diag(X))).toBe('diag(X)');
    expect(text(F.diagm(x))).toBe('diag(x)');
    expect(text(F.add([X, F.mul([s, F.eye(n)])]))).toBe('X + sI');
    expect(text(F.add([X, F.zero([n, n])]))).toBe('X + 0');
  });

  test('names: digits become subscripts; · where juxtaposition would be ambiguous', () => {
    const W1 = F.variable('W1', [n, n]);
    const xi = F.variable('x_i', [n, 1]);
    const beta = F.variable('beta', [1, 1]);
    const alpha = F.variable('α', [1, 1]);
    expect(text(F.mul([W1, xi]))).toBe('W₁x_i');
    expect(text(F.mul([s, xi, T(x)]))).toBe('s·x_i·xᵀ');
    expect(text(F.mul([beta, x]))).toBe('beta·x');
    expect(text(F.mul([alpha, x]))).toBe('αx');
    expect(text(F.mul([F.num(2), F.num(3), x]))).toBe('2·3x');
    expect(text(F.mul([F.num(2), F.num(-3), x]))).toBe('2(−3)x');
    expect(text(F.mul([s, F.fn('exp', x)]))).toBe('s·exp(x)');
    expect(text(F.mul([F.num(2), F.fn('exp', x)]))).toBe('2·exp(x)'); // 2e… could start a number
    expect(text(F.mul([F.num(2), F.fn('log', x)]))).toBe('2log(x)');
    expect(text(F.mul([F.reduce('norm2', x), F.reduce('norm2', a), x]))).toBe('‖x‖·‖a‖x');
    expect(text(F.mul([F.num(1e-3), x]))).toBe('1e-3x');
  });
});

describe('emitText: sharing', () => {
  const Y = F.fn('sigmoid', F.mul([W, X]));
  // The gradient of ⟨Y, MY⟩ with respect to WX's input, Y = σ(WX).
  const gradient = F.mul([T(W), F.hmul([F.mul([F.add([M, T(M)]), Y]), Y, F.add([F.ones([n, n]), neg(Y)])])]);

  test('a node used several times prints once, as T₁', () => {
    expect(emitText([gradient])).toEqual({
      main: ['Wᵀ((M + Mᵀ)T₁ ⊙ T₁ ⊙ (1 − T₁))'],
      where: [{ name: 'T₁', text: 'σ(WX)' }],
    });
  });

  test('a user name replaces T₁, and is defined even when used once', () => {
    const names = new Map<Term, string>([[Y, 'Y']]);
    expect(emitText([gradient], { names })).toEqual({
      main: ['Wᵀ((M + Mᵀ)Y ⊙ Y ⊙ (1 − Y))'],
      where: [{ name: 'Y', text: 'σ(WX)' }],
    });
    expect(emitText([F.mul([S, Y])], { names })).toEqual({ main: ['SY'], where: [{ name: 'Y', text: 'σ(WX)' }] });
  });

  test('share: false prints a tree', () => {
    expect(emitText([gradient], { share: false, names: new Map([[Y, 'Y']]) })).toEqual({
      main: ['Wᵀ((M + Mᵀ)σ(WX) ⊙ σ(WX) ⊙ (1 − σ(WX)))'],
      where: [],
    });
  });

  test('definitions come children first, and generated names skip variable names', () => {
    const T1 = F.variable('T1', [n, 1]);
    const inner = F.fn('exp', F.mul([X, b]));
    const outer = F.hmul([inner, F.add([inner, T1])]);
    const root = F.add([F.mul([S, outer]), F.mul([T(S), outer])]);
    expect(emitText([root])).toEqual({
      main: ['ST₃ + SᵀT₃'],
      where: [
        { name: 'T₂', text: 'exp(Xb)' },
        { name: 'T₃', text: 'T₂ ⊙ (T₂ + T₁)' },
      ],
    });
  });

  test('small repeated nodes stay inline', () => {
    const xb = F.mul([X, b]);
    expect(emitText([F.hmul([xb, F.fn('exp', xb)])])).toEqual({ main: ['Xb ⊙ exp(Xb)'], where: [] });
  });

  test('several roots share one where list', () => {
    const Z = F.fn('tanh', F.mul([W, x]));
    expect(emitText([F.mul([S, Z]), F.hmul([Z, a])])).toEqual({
      main: ['ST₁', 'T₁ ⊙ a'],
      where: [{ name: 'T₁', text: 'tanh(Wx)' }],
    });
  });
});
