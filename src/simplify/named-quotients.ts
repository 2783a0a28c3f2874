import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';
import type { Simplifier } from './simplifier-types.js';

/*
 * Quotients that have a name: on the exponents of one element-wise product (elementwise.ts, before
 * it rebuilds the product), sinh(u) ⊘ cosh(u) becomes tanh(u). (exp(u) ⊘ (𝟙 + exp(u)) = σ(u) is in
 * logistic.ts, shared with the scalar monomials of products.ts.)
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
