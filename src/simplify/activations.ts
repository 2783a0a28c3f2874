import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';

/**
 * simp.relu-step: relu(u) ⊙ step(u) = relu(u), on the exponents of one element-wise product: where
 * u > 0 the step is 1, elsewhere relu(u) is 0 (so any power of the step goes). The squared hinge
 * loss's gradient, 2 relu(T) ⊙ step(T), prints as 2 relu(T).
 */
export function reluTimesStep(powers: Map<Term, number>, applied: (rule: string) => void): void {
  for (const [base, e] of powers) {
    if (e <= 0 || base.kind !== 'fn' || base.fn !== 'relu') continue;
    const step = T.fn('step', base.operand);
    if ((powers.get(step) ?? 0) <= 0) continue;
    powers.set(step, 0);
    applied('simp.relu-step');
  }
}
