import { describe, expect, it } from 'vitest';
import { emitText } from '../../../src/emit/text.js';
import { gradient } from '../../../src/pipeline.js';
import { simplify } from '../../../src/simplify/simplify.js';
import * as T from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';

/**
 * The cost model of the one expansion (elementwise.ts, tryDistribute): a sum is tried distributed
 * over the other factors of an element-wise product only when a factor of one of its terms has its
 * base among them, since nothing else can cancel. Where one does, the search still runs and wins;
 * where none does, it is not tried, which is what kept a small shared tower searching for seconds.
 */
const v = (name: string) => T.variable(name, ['n', 1]);
const one = T.ones(['n', 1]);
const minus = (a: Term, b: Term) => T.add([a, T.mul([T.num(-1), b])]);
const text = (t: Term) => emitText([t], {}).main[0];

describe('distributing an element-wise product over a sum', () => {
  const s = T.fn('sigmoid', v('z'));
  const y = v('y');

  it.each([
    // The logistic loss: (1 − σ) ⊙ ((1 − y) ⊘ (1 − σ) − y ⊘ σ) ⊙ σ = σ − y.
    ['the logistic adjoint', T.hmul([minus(one, s), minus(T.hdiv(minus(one, y), minus(one, s)), T.hdiv(y, s)), s]), 'σ(z) − y'],
    // a ⊙ (b ⊘ a + c) = b + a ⊙ c: the quotient's denominator is the factor outside.
    ['a quotient by the factor outside', T.hmul([v('a'), T.add([T.hdiv(v('b'), v('a')), v('c')])]), 'a ⊙ c + b'],
  ])('still cancels where a factor of a term is outside the sum: %s', (_name, term, expected) => {
    expect(text(simplify([term])[0]!)).toBe(expected);
  });

  it.each([
    ['(a + b) ⊙ (c + d)', T.hmul([T.add([v('a'), v('b')]), T.add([v('c'), v('d')])])],
    ['(a + b) ⊙ c ⊘ (d + e)', T.hdiv(T.hmul([T.add([v('a'), v('b')]), v('c')]), T.add([v('d'), v('e')]))],
  ])('leaves a product with nothing to cancel as it is: %s', (_name, term) => {
    expect(simplify([term])[0]).toBe(term);
  });

  it('makes the shared tower Yₖ₊₁ = Yₖ ⊙ Yₖ + Yₖ intern a number of terms linear in its height', () => {
    // Searching every distribution of its small nested sums interned 429 terms at L = 3, 620 at
    // L = 4 and 77 at L = 5 (where the terms are too large to search).
    for (const L of [2, 3, 4, 5, 6, 8]) {
      const defs = ['Y1 = sigmoid(W*X)'];
      for (let k = 1; k < L; k++) defs.push(`Y${k + 1} = Y${k} .* Y${k} + Y${k}`);
      T.resetTerms();
      const result = gradient({ expression: `${defs.join('; ')}; sum(Y${L})`, wrt: 'W', check: false, sample: false });
      expect(result.ok).toBe(true);
      // 24 per level: the search's own terms, and the answer folded back onto the names Y₁…Y_L
      // (simplify/fold-definitions.ts), a few terms per definition.
      expect(T.internedCount()).toBeLessThanOrEqual(24 * L + 24);
    }
  });
});
