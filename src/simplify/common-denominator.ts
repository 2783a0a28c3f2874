import * as T from '../term/factory.js';
import { isScalar, type Shape, type Term } from '../term/term.js';
import { SIMPLIFY_BUDGET } from './budget.js';
import { treeSize } from './measures.js';
import type { Simplifier } from './simplifier-types.js';

/**
 * simp.common-denominator: a sum of quotients over one denominator, a ⊘ dᵏ + b ⊘ dᵐ =
 * (a ⊙ dᴹ⁻ᵏ + b ⊙ dᴹ⁻ᵐ) ⊘ dᴹ (M the larger power; element-wise, or scalars a/dᵏ), kept only when
 * strictly smaller. The numerator is simplified as any sum is, so what it cancels is what wins: the
 * pseudo-Huber Hessian's 𝟙 ⊘ s − u.^2 ⊘ s.^3 with s = √(δ² + u.^2) is δ² ⊘ s.^3, and the Bernoulli
 * loss's (1 − y) ⊘ (1 − p) − y ⊘ p is (p − y) ⊘ (p ⊙ (1 − p)). Only sums whose quotients share a
 * base, or that are all quotients, are tried, and only small ones (distributeMaxSize, distributeMaxTerms): the search is O(1)
 * per node.
 */
const B = SIMPLIFY_BUDGET;

/** A term as numerator and its denominator's powers by base (empty for a term with no denominator). */
interface Quotient {
  readonly numerator: Term;
  readonly below: ReadonlyMap<Term, number>;
}

/** The sum over one denominator when that is strictly smaller, else undefined. */
export function overCommonDenominator(s: Simplifier, sum: Term, shape: Shape): Term | undefined {
  if (sum.kind !== 'add' || sum.terms.length > B.distributeMaxTerms || treeSize(sum) > B.distributeMaxSize) return undefined;
  if (s.search.commonDenominator) return undefined;
  // Both ways to share a denominator need two terms with one: most sums have none, and build nothing.
  let withDenominator = 0;
  for (const t of sum.terms) if (hasDenominator(s, t)) withDenominator++;
  if (withDenominator < 2) return undefined;
  const quotients = sum.terms.map((t) => quotientOf(s, t));
  if (!shareABase(quotients)) return undefined;
  const common = new Map<Term, number>();
  for (const q of quotients) for (const [base, e] of q.below) common.set(base, Math.max(common.get(base) ?? 0, e));
  s.search.commonDenominator = true;
  const mark = s.stepMark();
  try {
    const numerators = quotients.map((q) => {
      const missing: Term[] = [];
      for (const [base, e] of common) {
        const k = e - (q.below.get(base) ?? 0);
        if (k > 0) missing.push(k === 1 ? base : s.epow(base, T.num(k)));
      }
      return missing.length === 0 ? q.numerator : s.elementwise([q.numerator, ...missing], [], shape);
    });
    const denominator = [...common].map(([base, e]) => (e === 1 ? base : T.epow(base, T.num(e))));
    const combined = s.elementwise([s.add(numerators, shape)], denominator, shape);
    if (treeSize(combined) < treeSize(sum)) return s.applied('simp.common-denominator', undefined, combined);
    s.dropStepsAfter(mark);
    return undefined;
  } finally {
    s.search.commonDenominator = false;
  }
}

/**
 * Whether two of the terms have a denominator base in common, or every term has a denominator:
 * otherwise nothing can cancel against the common denominator and trying is wasted work.
 */
function shareABase(quotients: readonly Quotient[]): boolean {
  if (quotients.every((q) => q.below.size > 0)) return true;
  const seen = new Set<Term>();
  for (const q of quotients) {
    for (const base of q.below.keys()) if (seen.has(base)) return true;
    for (const base of q.below.keys()) seen.add(base);
  }
  return false;
}

/**
 * A sum's term as numerator over denominator: an element-wise quotient (a multiple of one, c·a ⊘ b),
 * or a scalar product's negative powers (a·b⁻²). The numerator keeps the coefficient.
 */
function quotientOf(s: Simplifier, t: Term): Quotient {
  const below = new Map<Term, number>();
  const p = s.parts(t);
  if (isScalar(t)) {
    const above: Term[] = [T.num(p.coef)];
    for (const f of p.scalars) {
      const [base, e] = powerOf(f);
      if (e < 0 && Number.isInteger(e)) below.set(base, -e);
      else above.push(f);
    }
    return { numerator: below.size === 0 ? t : s.mul(above), below };
  }
  const core = p.chain.length === 1 ? p.chain[0]! : undefined;
  if (core?.kind !== 'hdiv') return { numerator: t, below };
  for (const f of core.right.kind === 'hmul' ? core.right.factors : [core.right]) {
    const [base, e] = powerOf(f);
    if (!Number.isInteger(e)) return { numerator: t, below: new Map() };
    below.set(base, (below.get(base) ?? 0) + e);
  }
  return { numerator: s.mul([T.num(p.coef), ...p.scalars, core.left]), below };
}

/** Whether quotientOf(t) can have a denominator: a quotient, or a scalar product with a negative integer power. */
function hasDenominator(s: Simplifier, t: Term): boolean {
  const p = s.parts(t);
  if (isScalar(t)) {
    for (const f of p.scalars) if (f.kind === 'epow' && f.exponent.kind === 'num' && f.exponent.value < 0 && Number.isInteger(f.exponent.value)) return true;
    return false;
  }
  return p.chain.length === 1 && p.chain[0]!.kind === 'hdiv';
}

/** A factor as base and numeric exponent: b.^3 → (b, 3), b → (b, 1). */
function powerOf(f: Term): [Term, number] {
  return f.kind === 'epow' && f.exponent.kind === 'num' ? [f.base, f.exponent.value] : [f, 1];
}
