import type { Term } from '../term/term.js';
import type { LogisticBuilders } from './logistic.js';

/**
 * Terms whose entries are ±1: labels assumed `sign` (--assume y:sign, y ∈ {−1, +1}ⁿ) and sign(a)
 * itself, which is ±1 wherever its derivative is defined (a ≠ 0, where the check samples). Their
 * even powers are 𝟙 and their odd powers themselves, so the logistic loss with ±1 labels has the
 * textbook Hessian XᵀDiag(σ(z) ⊙ σ(−z))X rather than one with y.^2 in it. This module needs no
 * simplifier: the callers pass the assumption and what they build with.
 */

/** Whether every entry of t is ±1: an assumed sign variable, or sign(a). */
export function isSignValued(t: Term, sign: ReadonlySet<string> | undefined): boolean {
  if (t.kind === 'var') return sign?.has(t.name) ?? false;
  return t.kind === 'fn' && t.fn === 'sign';
}

/**
 * simp.sign-square, simp.sign-odd-power: y.^(2k) = 𝟙 and y.^(2k+1) = y for entries ±1, on the
 * exponents of one product (by base, as elementwise() and mul() collect them). Returns whether an
 * exponent changed; a base whose exponent becomes 0 is dropped by the caller (as 𝟙).
 */
export function reduceSignPowers(powers: Map<Term, number>, sign: ReadonlySet<string> | undefined, applied: (rule: string) => void): boolean {
  let changed = false;
  for (const [base, e] of powers) {
    if (!Number.isInteger(e) || e === 0 || e === 1 || !isSignValued(base, sign)) continue;
    const reduced = Math.abs(e) % 2;
    applied(reduced === 0 ? 'simp.sign-square' : 'simp.sign-odd-power');
    powers.set(base, reduced);
    changed = true;
  }
  return changed;
}

/** The exponent a power of a ±1 base reduces to (0 for 𝟙, 1 for the base), or undefined. */
export function signPowerExponent(base: Term, exponent: number, sign: ReadonlySet<string> | undefined): 0 | 1 | undefined {
  if (!Number.isInteger(exponent) || !isSignValued(base, sign)) return undefined;
  return Math.abs(exponent) % 2 === 0 ? 0 : 1;
}

/** What sigmoidPairs builds with: the simplifier's own operations. */
export interface SigmoidPairBuilders extends LogisticBuilders {
  /** The element-wise product of factors, in normal form. */
  readonly product: (factors: readonly Term[]) => Term;
}

/**
 * simp.sign-sigmoid-pair: σ(y ⊙ u) ⊙ σ(−y ⊙ u) = σ(u) ⊙ σ(−u) for y with entries ±1, because
 * σ(a)σ(−a) is even in a. On the exponents of one element-wise product: each power of σ(y ⊙ u)
 * matched by one of σ(−y ⊙ u) becomes one of σ(u) and of σ(−u) (the logistic Hessian with ±1 labels
 * as XᵀDiag(σ(Xw) ⊙ σ(−Xw))X).
 */
export function sigmoidPairs(powers: Map<Term, number>, sign: ReadonlySet<string> | undefined, build: SigmoidPairBuilders, applied: (rule: string) => void): void {
  for (const [base, e] of [...powers]) {
    if (e <= 0 || base.kind !== 'fn' || base.fn !== 'sigmoid' || base.operand.kind !== 'hmul') continue;
    const factors = base.operand.factors;
    const y = factors.find((f) => isSignValued(f, sign));
    if (y === undefined) continue;
    const mirror = build.sigmoid(build.negate(base.operand));
    const m = powers.get(mirror) ?? 0;
    const k = Math.min(e, m);
    if (k <= 0) continue;
    const rest = factors.filter((f, i) => i !== factors.indexOf(y));
    const u = build.product(rest);
    powers.set(base, e - k);
    powers.set(mirror, m - k);
    for (const t of [build.sigmoid(u), build.sigmoid(build.negate(u))]) powers.set(t, (powers.get(t) ?? 0) + k);
    applied('simp.sign-sigmoid-pair');
  }
}
