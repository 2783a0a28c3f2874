import * as T from '../term/factory.js';
import { isScalar, type Term } from '../term/term.js';
import type { Simplifier } from './simplifier-types.js';
import { quotientsToSigmoid } from './logistic.js';
import { reduceSignPowers } from './signs.js';

/**
 * Scalar monomials (mul()'s scalar factors, products.ts), in three respects kept out of products.ts:
 * the identities among their factors (a·sign(a), σ from exponentials, powers of ±1 labels), below.
 *
 * The scalar side of simp.hadamard-distribute: a scalar monomial with a sum among its factors,
 * distributed over it where a factor can cancel, kept only when strictly smaller. A scalar product is
 * the 1×1 case of an element-wise one, so the search is elementwise.ts's own (tryDistribute): this
 * module only lays the monomial out as its numerators and denominators. The scalar logistic loss's
 * adjoint (1 − σ)((1 − y)/(1 − σ) − y/σ)σ is σ − y this way, as its vector form already was.
 */

/**
 * The monomial Π baseᵉ (mul()'s powers by base, numbers and matrices left out) distributed over one
 * of its sums, or undefined when no distribution is smaller. `scalars` are its factors as built.
 */
export function distributeMonomial(s: Simplifier, monomial: ReadonlyMap<Term, number>, scalars: readonly Term[]): Term | undefined {
  if (scalars.length < 2 || !scalars.some((f) => f.kind === 'add')) return undefined;
  const top: Term[] = [];
  const bottom: Term[] = [];
  for (const [base, e] of monomial) {
    if (e === 0) continue;
    const magnitude = Math.abs(e);
    (e > 0 ? top : bottom).push(magnitude === 1 ? base : T.epow(base, T.num(magnitude)));
  }
  // The monomial as mul() builds a scalar product (its chain last), as the distributed terms are
  // built: so that only a truly smaller form wins, not the same one written flat.
  const ordered = [...scalars];
  const chain: Term[] = [];
  chainLast(ordered, chain);
  const core = T.mul([...ordered, ...chain]);
  const best = s.tryDistribute(core, top, bottom, T.SCALAR);
  return best === core ? undefined : best;
}

/** A scalar product's factor that is a sum, with the other factors; undefined when it has none. */
export function scalarSumFactor(s: Simplifier, t: Term): { coef: number; sum: Extract<Term, { kind: 'add' }>; others: Term[] } | undefined {
  if (t.kind !== 'mul' || !isScalar(t)) return undefined;
  const p = s.parts(t);
  const index = p.scalars.findIndex((f) => f.kind === 'add');
  if (index < 0) return undefined;
  return { coef: p.coef, sum: p.scalars[index] as Extract<Term, { kind: 'add' }>, others: p.scalars.filter((_, i) => i !== index) };
}

/**
 * simp.scalar-chain-last: a scalar product's scalar-valued chain (wᵀx) stands last, as its chain:
 * −y·wᵀx, whether it was built flat from −y, wᵀ and x or as −1 times (wᵀx)y. Without it the two
 * builds of one scalar differ (−ywᵀx against (wᵀx)y negated), and identities that compare arguments
 * (exp(−u) ⊙ σ(u) = σ(−u)) miss. Moves the last such factor of `scalars` (sorted) into the empty
 * `chain`; a product that has a chain already keeps it.
 */
export function scalarChainLast(s: Simplifier, scalars: Term[], chain: Term[], scalarProduct: boolean): void {
  if (!scalarProduct || chain.length > 0) return;
  if (chainLast(scalars, chain) && s.tracing && scalars.length > 0) s.applied('simp.scalar-chain-last');
}

/** Moves the last scalar-valued chain of `scalars` into the empty `chain`; whether there was one. */
function chainLast(scalars: Term[], chain: Term[]): boolean {
  for (let i = scalars.length - 1; i >= 0; i--) {
    const f = scalars[i]!;
    if (f.kind !== 'mul' || f.factors.some(isScalar)) continue;
    scalars.splice(i, 1);
    chain.push(...f.factors);
    return true;
  }
  return false;
}

/**
 * simp.sign-times: a·sign(a) = |a| for a scalar a, in a monomial (as powers by base): the determinant's
 * pullback through |·| meets det(X) this way, and |det X|⁻¹ then cancels (∇ log|det X| = X⁻ᵀ).
 */
function signsTimesValues(s: Simplifier, monomial: Map<Term, number>): void {
  for (const [base, e] of [...monomial]) {
    if (base.kind !== 'fn' || base.fn !== 'sign' || e !== 1) continue;
    const value = monomial.get(base.operand);
    if (value === undefined || value < 1) continue;
    const abs = s.fn('abs', base.operand);
    monomial.delete(base);
    if (value === 1) monomial.delete(base.operand);
    else monomial.set(base.operand, value - 1);
    monomial.set(abs, (monomial.get(abs) ?? 0) + 1);
    s.applied('simp.sign-times');
  }
}

/**
 * Whether monomialIdentities can change anything: each identity starts from sign(a) or σ among the
 * bases, a negative power (1/(1 + exp(u))) or a variable assumed ±1. Most monomials have none, and
 * build none of the helpers.
 */
function mayApply(monomial: ReadonlyMap<Term, number>, sign: ReadonlySet<string> | undefined): boolean {
  const signs = sign !== undefined && sign.size > 0;
  for (const [base, e] of monomial) {
    if (e < 0 || (base.kind === 'fn' && (base.fn === 'sign' || base.fn === 'sigmoid')) || (signs && base.kind === 'var')) return true;
  }
  return false;
}

/** The identities of a monomial's factors among themselves, applied to its powers by base in place. */
export function monomialIdentities(s: Simplifier, monomial: Map<Term, number>): void {
  if (!mayApply(monomial, s.context.sign)) return;
  signsTimesValues(s, monomial);
  const note = (rule: string) => void s.applied(rule);
  // simp.exp-over-one-plus-exp (logistic.ts): exp(u)/(1 + exp(u)) = σ(u) for a scalar u too.
  quotientsToSigmoid(monomial, { negate: (t) => s.scale(-1, t), sigmoid: (t) => s.fn('sigmoid', t) }, note);
  // simp.sign-square, simp.sign-odd-power (signs.ts): a scalar label y = ±1 has y² = 1.
  reduceSignPowers(monomial, s.context.sign, note);
}
