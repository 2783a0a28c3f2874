import { describe, expect, test } from 'vitest';
import { asciiProgram, emitAscii } from '../../../src/emit/ascii.js';
import { gradientViews } from '../../../src/emit/derivative.js';
import { gradient } from '../../../src/pipeline.js';
import * as F from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';

import { n, X, S, M, W, A, x, y, a, b, s, neg, T } from '../../helpers/terms.js';

const ascii = (term: Term): string => {
  const e = emitAscii([term]);
  expect(e.where).toEqual([]);
  return e.main[0]!;
};

describe('emitAscii', () => {
  test('the textbook examples', () => {
    expect(ascii(F.mul([F.hmul([F.fn('exp', F.mul([X, b])), a]), T(b)]))).toBe("(exp(X*b) .* a)*b'");
    expect(ascii(F.mul([F.num(2), T(A), F.add([F.mul([A, x]), neg(y)])]))).toBe("2*A'*(A*x - y)");
    expect(ascii(F.mul([F.add([S, T(S)]), x]))).toBe("(S + S')*x");
    expect(ascii(T(F.inv(X)))).toBe("inv(X)'");
    expect(ascii(F.mul([F.num(3), T(F.mpow(X, 2))]))).toBe("3*(X^2)'");
  });

  test('products, signs and denominators', () => {
    expect(ascii(F.mul([F.num(-2), x]))).toBe('-2*x');
    expect(ascii(neg(x))).toBe('-x');
    expect(ascii(F.mul([F.add([S, T(S)]), x, F.epow(F.mul([T(x), x]), F.num(-1))]))).toBe("(S + S')*x / (x'*x)");
    expect(ascii(F.mul([F.num(2), S, x, F.epow(F.reduce('norm2', x), F.num(-1))]))).toBe('2*S*x / norm2(x)');
    expect(ascii(F.mul([F.num(2), F.mul([T(x), x]), X]))).toBe("2*(x'*x)*X");
    expect(ascii(F.mul([F.num(-1), F.mul([T(x), S, x]), x]))).toBe("-(x'*S*x)*x");
    expect(ascii(F.mul([S, F.mul([X, x])]))).toBe('S*(X*x)');
    expect(ascii(F.mul([F.mul([S, X]), x]))).toBe('S*X*x');
    expect(ascii(F.hmul([a, F.mul([S, x])]))).toBe('a .* (S*x)');
    expect(ascii(F.hdiv(F.mul([S, x]), a))).toBe('S*x ./ a');
    expect(ascii(F.add([x, F.mul([F.num(-3), s, a])]))).toBe('x - 3*s*a');
  });

  test('powers, functions, reductions, constants', () => {
    expect(ascii(F.epow(x, F.num(2)))).toBe('x.^2');
    expect(ascii(F.epow(s, F.num(2)))).toBe('s^2');
    expect(ascii(F.epow(s, F.num(-1)))).toBe('s^(-1)');
    expect(ascii(F.mpow(T(X), 3))).toBe("(X')^3");
    expect(ascii(F.fn('sigmoid', F.mul([W, X])))).toBe('sigmoid(W*X)');
    expect(ascii(F.reduce('norm2', X))).toBe('norm2(X)');
    expect(ascii(F.reduce('norm1', x))).toBe('norm1(x)');
    expect(ascii(F.reduce('trace', X))).toBe('tr(X)');
    expect(ascii(F.reduce('logdet', X))).toBe('logdet(X)');
    expect(ascii(F.inner(X, S))).toBe('<X, S>');
    expect(ascii(F.diagm(x))).toBe('diag(x)');
    expect(ascii(F.add([X, F.eye(n)]))).toBe('X + eye');
    expect(ascii(F.mul([s, F.ones([n, 1])]))).toBe('s*vector(1)');
    expect(ascii(F.mul([s, F.ones([1, n])]))).toBe("s*vector(1)'");
    expect(ascii(F.mul([s, F.ones([n, n])]))).toBe('s*matrix(1)');
    expect(ascii(F.add([F.ones([n, n]), neg(X)]))).toBe('1 - X');
  });

  test('names print as written', () => {
    const W1 = F.variable('W1', [n, n]);
    const alpha = F.variable('α', [1, 1]);
    expect(ascii(F.mul([alpha, W1, x]))).toBe('α*W1*x');
  });

  test('a shared node becomes a definition, and asciiProgram writes T1 = …; main', () => {
    const Y = F.fn('sigmoid', F.mul([W, X]));
    const gradient = F.mul([T(W), F.hmul([F.mul([F.add([M, T(M)]), Y]), Y, F.add([F.ones([n, n]), neg(Y)])])]);
    const e = emitAscii([gradient]);
    expect(e).toEqual({ main: ["W'*((M + M')*T1 .* T1 .* (1 - T1))"], where: [{ name: 'T1', text: 'sigmoid(W*X)' }] });
    expect(asciiProgram(e)).toBe("T1 = sigmoid(W*X); W'*((M + M')*T1 .* T1 .* (1 - T1))");
    const named = emitAscii([gradient], { names: new Map([[Y, 'Y']]) });
    expect(asciiProgram(named)).toBe("Y = sigmoid(W*X); W'*((M + M')*Y .* Y .* (1 - Y))");
    expect(asciiProgram(emitAscii([X]))).toBe('X');
  });
});

describe('a dimension as a number prints as a user writes it', () => {
  // The means' and variances' 1/n is nrows of the argument; ASCII writes it of a variable that has
  // that dimension (nrows(y), ncols(A)), never of a temporary's power (nrows(T1.^2)).
  const CASES: readonly [string, string][] = [
    ['mean((X*w - y).^2)', 'w'],
    ['mean(x.^2)', 'x'],
    ['var(x)', 'x'],
    ['mean(exp(A*x))', 'x'],
    ['mean(log(1 + exp(-y .* (X*w))))', 'w'],
    ["mean(x'*A)", 'x'],
    ['sum(X)/ncols(X) + mean(X*w)', 'w'],
    ['var(A*x - b) + mean(sigmoid(A*x))', 'x'],
  ];
  test.each(CASES)('%s', (expression, wrt) => {
    const result = gradient({ expression, wrt, check: false });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    for (const view of gradientViews(result.value)) {
      const dims = [...view.ascii.matchAll(/\b(nrows|ncols)\(([^()]*)\)/g)];
      const all = [...view.ascii.matchAll(/\b(nrows|ncols)\(/g)];
      expect(dims.length, view.ascii).toBe(all.length);
      for (const m of dims) expect(result.value.variables.has(m[2]!), `${m[0]} in ${view.ascii}`).toBe(true);
      // And it reads back (the gradient summed, so that grad takes it).
      const program = view.ascii.split('; ');
      const main = program.pop()!;
      const back = gradient({ expression: [...program, `sum(${main})`].join('; '), wrt, check: false });
      expect(back.ok, view.ascii).toBe(true);
    }
  });
});
