import { describe, expect, test } from 'vitest';
import * as T from '../../../src/term/factory.js';
import type { Shape, Term } from '../../../src/term/term.js';
import { checkDifferential } from '../../../src/verify/linear-map.js';

/**
 * The differential check compares ⟨W, dF[V]⟩ with central differences of ⟨W, F⟩ at X ± hV, by
 * numbers alone. These differentials are written by hand (no sweep, no rules), right and wrong in the
 * ways derivations go wrong: a dropped sign, a transposed factor, a lost term, a small relative slip.
 */
const X = T.variable('X', ['n', 'n']);
const dX = T.variable('dX', ['n', 'n']);
const x = T.variable('x', ['n', 1]);
const dx = T.variable('dx', ['n', 1]);
const A = T.variable('A', ['m', 'n']);

function check(f: Term, differential: Term, variable: Term, direction: Term, assumptions = new Map()) {
  const variables = new Map<string, Shape>();
  for (const v of [X, x, A]) variables.set(v.name, v.shape);
  return checkDifferential({
    f,
    differential,
    variable: (variable as { name: string }).name,
    direction,
    variables,
    assumptions,
    dimSizes: new Map([['n', 3], ['m', 4]]),
    seed: 7,
  });
}

const Xi = T.inv(X);
const minus = (t: Term) => T.mul([T.num(-1), t]);

describe('the differential check, without the sweep', () => {
  test('d(X⁻¹) = −X⁻¹ dX X⁻¹ passes, compared along 4 random and all 9 unit directions', () => {
    const report = check(Xi, minus(T.mul([Xi, dX, Xi])), X, dX);
    expect(report.status, report.reason).toBe('passed');
    expect(report.relativeError).toBeLessThan(1e-6);
    expect(report.comparisons).toBe(13);
    expect(report.entrywise).toBe(true);
  });

  test.each([
    ['the sign dropped', T.mul([Xi, dX, Xi])],
    ['a factor transposed', minus(T.mul([T.transpose(Xi), dX, Xi]))],
    ['the factors swapped', minus(T.mul([Xi, Xi, dX]))],
    ['off by 0.1%', T.mul([T.num(-1.001), Xi, dX, Xi])],
  ])('a wrong d(X⁻¹) fails: %s', (_label, wrong) => {
    const report = check(Xi, wrong, X, dX);
    expect(report.status, report.reason).toBe('failed');
    expect(report.relativeError).toBeGreaterThan(1e-4);
  });

  test('a matrix-valued F is weighed by a random W of its shape: d(XᵀX) with a term lost fails', () => {
    const f = T.mul([T.transpose(X), X]);
    const right = T.add([T.mul([T.transpose(X), dX]), T.mul([T.transpose(dX), X])]);
    expect(check(f, right, X, dX).status).toBe('passed');
    // Xᵀ dX + Xᵀ dX agrees with the right answer on symmetric weights only.
    const wrong = T.mul([T.num(2), T.transpose(X), dX]);
    expect(check(f, wrong, X, dX).status).toBe('failed');
  });

  test('a vector function: d exp(Ax) = exp(Ax) ⊙ A dx passes; with the exp(Ax) factor lost it fails', () => {
    const f = T.fn('exp', T.mul([A, x]));
    const right = T.hmul([f, T.mul([A, dx])]);
    expect(check(f, right, x, dx).status).toBe('passed');
    const wrong = T.mul([A, dx]);
    expect(check(f, wrong, x, dx).status).toBe('failed');
  });
});
