import { describe, expect, test } from 'vitest';
import { emitLatex, latexName } from '../../../src/emit/latex.js';
import * as F from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';

import { n, X, S, M, W, A, x, y, a, b, s, neg, T } from '../../helpers/terms.js';

const latex = (term: Term): string => {
  const e = emitLatex([term]);
  expect(e.where).toEqual([]);
  return e.main[0]!;
};

describe('emitLatex', () => {
  test('the textbook examples', () => {
    expect(latex(F.mul([F.hmul([F.fn('exp', F.mul([X, b])), a]), T(b)]))).toBe('(\\exp(Xb) \\odot a)b^\\top');
    expect(latex(F.mul([F.num(2), T(A), F.add([F.mul([A, x]), neg(y)])]))).toBe('2A^\\top(Ax - y)');
    expect(latex(F.mul([F.add([S, T(S)]), x]))).toBe('(S + S^\\top)x');
    expect(latex(T(F.inv(X)))).toBe('X^{-\\top}');
    expect(latex(F.inv(X))).toBe('X^{-1}');
    expect(latex(F.mul([F.num(3), T(F.mpow(X, 2))]))).toBe('3(X^2)^\\top');
    expect(latex(F.mpow(X, 10))).toBe('X^{10}');
  });

  test('a control word is separated from a following letter', () => {
    expect(latex(F.mul([T(x), S, x]))).toBe('x^\\top Sx');
    expect(latex(F.mul([F.variable('β', [1, 1]), x]))).toBe('\\beta x');
    expect(latex(F.mul([F.num(2), F.num(3), x]))).toBe('2 \\cdot 3x');
  });

  test('scalar denominators become fractions', () => {
    expect(latex(F.mul([F.add([S, T(S)]), x, F.epow(F.mul([T(x), x]), F.num(-1))]))).toBe('\\frac{(S + S^\\top)x}{x^\\top x}');
    expect(latex(F.mul([F.num(-2), S, x, F.epow(F.reduce('norm2', x), F.num(-1))]))).toBe('-\\frac{2Sx}{\\lVert x \\rVert}');
    expect(latex(F.mul([x, F.epow(s, F.num(-2))]))).toBe('\\frac{x}{s^2}');
  });

  test('operators and functions', () => {
    expect(latex(F.hdiv(a, F.hmul([a, b])))).toBe('a \\oslash (a \\odot b)');
    expect(latex(F.fn('sigmoid', F.mul([W, X])))).toBe('\\sigma(WX)');
    expect(latex(F.fn('log', x))).toBe('\\log(x)');
    expect(latex(F.fn('relu', x))).toBe('\\operatorname{relu}(x)');
    expect(latex(F.fn('sqrt', F.add([x, a])))).toBe('\\sqrt{x + a}');
    expect(latex(F.reduce('trace', X))).toBe('\\operatorname{tr}(X)');
    expect(latex(F.reduce('det', X))).toBe('\\det(X)');
    expect(latex(F.reduce('logdet', X))).toBe('\\operatorname{logdet}(X)');
    expect(latex(F.reduce('sum', X))).toBe('\\operatorname{sum}(X)');
    expect(latex(F.reduce('norm2', x))).toBe('\\lVert x \\rVert');
    expect(latex(F.reduce('norm2', X))).toBe('\\lVert X \\rVert_F');
    expect(latex(F.reduce('norm1', x))).toBe('\\lVert x \\rVert_1');
    expect(latex(F.inner(X, S))).toBe('\\langle X, S \\rangle');
    expect(latex(F.diag(X))).toBe('\\operatorname{diag}(X)');
    expect(latex(F.diagm(x))).toBe('\\operatorname{diag}(x)');
    expect(latex(F.epow(x, F.num(2)))).toBe('x^{\\circ 2}');
    expect(latex(F.epow(s, F.num(-0.5)))).toBe('s^{-0.5}');
    expect(latex(F.add([X, F.mul([s, F.eye(n)])]))).toBe('X + sI');
    expect(latex(F.mul([s, F.ones([n, 1])]))).toBe('s\\mathbf{1}');
    expect(latex(F.add([F.ones([n, n]), neg(X)]))).toBe('1 - X');
    expect(latex(F.mul([F.num(1e-3), x]))).toBe('10^{-3}x');
    expect(latex(F.mul([F.num(2.5e-7), x]))).toBe('2.5 \\cdot 10^{-7}x');
  });

  test('names: subscripts and Greek letters', () => {
    expect(latexName('W1')).toBe('W_{1}');
    expect(latexName('x_i')).toBe('x_{i}');
    expect(latexName('W₁')).toBe('W_{1}');
    expect(latexName('α')).toBe('\\alpha');
    expect(latexName('alpha')).toBe('\\alpha');
    expect(latexName('beta2')).toBe('\\beta_{2}');
    expect(latexName('loss')).toBe('\\mathit{loss}');
    expect(latexName('T1')).toBe('T_{1}');
  });

  test('shared nodes', () => {
    const Y = F.fn('sigmoid', F.mul([W, X]));
    const gradient = F.mul([T(W), F.hmul([F.mul([F.add([M, T(M)]), Y]), Y, F.add([F.ones([n, n]), neg(Y)])])]);
    expect(emitLatex([gradient])).toEqual({
      main: ['W^\\top((M + M^\\top)T_{1} \\odot T_{1} \\odot (1 - T_{1}))'],
      where: [{ name: 'T_{1}', text: '\\sigma(WX)' }],
    });
  });
});
