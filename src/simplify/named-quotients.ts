import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';
import type { Simplifier } from './simplifier-types.js';

/*
 * Quotients that have a name: on the exponents of one element-wise product (elementwise.ts, before
 * it rebuilds the product), sinh(u) ⊘ cosh(u) becomes tanh(u) and exp(u) ⊘ (𝟙 + exp(u)) becomes σ(u).
 */

/**
 * simp.sinh-over-cosh: sinh(u) ⊘ cosh(u) = tanh(u), on the exponents of one element-wise product
 * (the gradient of the log-cosh loss prints as tanh(Xw − y)).
 */
export function quotientsToTanh(s: Simplifier, powers: Map<Term, number>): void {
  for (const [base, e] of [...powers]) {
    if (base.kind !== 'fn' || base.fn !== 'sinh' || e <= 0) continue;
    const cosh = T.fn('cosh', base.operand);
    const f = powers.get(cosh) ?? 0;
    if (f >= 0) continue;
    const k = Math.min(e, -f);
    const tanh = T.fn('tanh', base.operand);
    powers.set(base, e - k);
    powers.set(cosh, f + k);
    powers.set(tanh, (powers.get(tanh) ?? 0) + k);
    s.applied('simp.sinh-over-cosh');
  }
}

/**
 * simp.exp-over-one-plus-exp: exp(u) ⊘ (𝟙 + exp(u)) = σ(u), and 𝟙 ⊘ (𝟙 + exp(u)) = σ(−u), on the
 * exponents of one element-wise product: a logistic written with exponentials (the softplus's
 * derivative, 𝟙 ⊘ (𝟙 + exp(−z))) prints as σ. Each power of 𝟙 + exp(u) below the bar takes one power
 * of exp(u) above it, while there is one.
 */
export function quotientsToSigmoid(s: Simplifier, powers: Map<Term, number>): void {
  for (const [base, e] of [...powers]) {
    if (e >= 0) continue;
    const u = onePlusExpOf(base);
    if (u === undefined) continue;
    const exp = T.fn('exp', u);
    const above = Math.max(powers.get(exp) ?? 0, 0);
    const k = Math.min(above, -e);
    powers.delete(base);
    if (k > 0) {
      powers.set(exp, above - k);
      const sigmoid = s.fn('sigmoid', u);
      powers.set(sigmoid, (powers.get(sigmoid) ?? 0) + k);
    }
    if (-e > k) {
      const mirror = s.fn('sigmoid', s.scale(-1, u));
      powers.set(mirror, (powers.get(mirror) ?? 0) - e - k);
    }
    s.applied('simp.exp-over-one-plus-exp');
  }
  // The same identity once 𝟙 ⊘ (𝟙 + exp(u)) is σ(−u) already: exp(u) ⊙ σ(−u) = σ(u).
  for (const [base, e] of [...powers]) {
    if (e <= 0 || base.kind !== 'fn' || base.fn !== 'sigmoid') continue;
    const u = s.scale(-1, base.operand);
    const exp = T.fn('exp', u);
    const above = powers.get(exp) ?? 0;
    if (above <= 0) continue;
    const k = Math.min(above, e);
    const sigmoid = s.fn('sigmoid', u);
    powers.set(base, e - k);
    powers.set(exp, above - k);
    powers.set(sigmoid, (powers.get(sigmoid) ?? 0) + k);
    s.applied('simp.exp-over-one-plus-exp');
  }
}

/** u when t is 𝟙 + exp(u) (or 1 + exp(u)), in either order; undefined otherwise. */
function onePlusExpOf(t: Term): Term | undefined {
  if (t.kind !== 'add' || t.terms.length !== 2) return undefined;
  const [a, b] = t.terms as [Term, Term];
  const isOne = (x: Term) => x.kind === 'ones' || (x.kind === 'num' && x.value === 1);
  const exp = isOne(a) ? b : isOne(b) ? a : undefined;
  return exp?.kind === 'fn' && exp.fn === 'exp' ? exp.operand : undefined;
}
