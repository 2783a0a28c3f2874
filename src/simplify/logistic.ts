import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';

/**
 * The logistic function written with exponentials, recognised on the exponents of one product (an
 * element-wise product's, or a scalar monomial's): the caller collects them by base and passes what
 * it builds with, so this module needs no simplifier.
 */
export interface LogisticBuilders {
  /** −t in normal form. */
  readonly negate: (t: Term) => Term;
  /** σ(t) in normal form. */
  readonly sigmoid: (t: Term) => Term;
}

/**
 * simp.exp-over-one-plus-exp: exp(u) ⊘ (𝟙 + exp(u)) = σ(u), and 𝟙 ⊘ (𝟙 + exp(u)) = σ(−u), on the
 * exponents of one element-wise product: a logistic written with exponentials (the softplus's
 * derivative, 𝟙 ⊘ (𝟙 + exp(−z))) prints as σ. Each power of 𝟙 + exp(u) below the bar takes one power
 * of exp(u) above it, while there is one.
 */
export function quotientsToSigmoid(powers: Map<Term, number>, build: LogisticBuilders, applied: (rule: string) => void): void {
  // Only a power below the bar can be 𝟙 + exp(u), only a σ above it meets exp(u) below: most
  // products have neither, and are not copied.
  if (hasNegativePower(powers)) dividedByOnePlusExp(powers, build, applied);
  if (hasSigmoid(powers)) sigmoidTimesExp(powers, build, applied);
}

function dividedByOnePlusExp(powers: Map<Term, number>, build: LogisticBuilders, applied: (rule: string) => void): void {
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
      const sigmoid = build.sigmoid(u);
      powers.set(sigmoid, (powers.get(sigmoid) ?? 0) + k);
    }
    if (-e > k) {
      const mirror = build.sigmoid(build.negate(u));
      powers.set(mirror, (powers.get(mirror) ?? 0) - e - k);
    }
    applied('simp.exp-over-one-plus-exp');
  }
}

/** The same identity once 𝟙 ⊘ (𝟙 + exp(u)) is σ(−u) already: exp(u) ⊙ σ(−u) = σ(u). */
function sigmoidTimesExp(powers: Map<Term, number>, build: LogisticBuilders, applied: (rule: string) => void): void {
  for (const [base, e] of [...powers]) {
    if (e <= 0 || base.kind !== 'fn' || base.fn !== 'sigmoid') continue;
    const u = build.negate(base.operand);
    const exp = T.fn('exp', u);
    const above = powers.get(exp) ?? 0;
    if (above <= 0) continue;
    const k = Math.min(above, e);
    const sigmoid = build.sigmoid(u);
    powers.set(base, e - k);
    powers.set(exp, above - k);
    powers.set(sigmoid, (powers.get(sigmoid) ?? 0) + k);
    applied('simp.exp-over-one-plus-exp');
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

function hasNegativePower(powers: ReadonlyMap<Term, number>): boolean {
  for (const e of powers.values()) if (e < 0) return true;
  return false;
}

function hasSigmoid(powers: ReadonlyMap<Term, number>): boolean {
  for (const base of powers.keys()) if (base.kind === 'fn' && base.fn === 'sigmoid') return true;
  return false;
}
