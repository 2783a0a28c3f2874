import * as T from '../term/factory.js';
import { isScalar, isScalarShape, type Shape, type Term } from '../term/term.js';
import { SIMPLIFY_BUDGET } from './budget.js';
import { treeSize } from './measures.js';
import { compareTerms } from './order.js';
import { overCommonDenominator } from './common-denominator.js';
import { scalarSumFactor } from './scalar-monomials.js';
import type { Entry, Simplifier } from './simplifier-types.js';

/**
 * Sums. A sum's normal form is flat, with like terms collected by identity (c₁T + c₂T, no search:
 * the terms are hash-consed), then factored (factoring.ts) while a group of ≥ 2 terms shares a
 * factor, then ordered, with a common numeric factor in front. A sum never distributes a matrix
 * product (2Aᵀ(Ax − y) stays); the one expansion tried is of element-wise (and scalar) products over
 * sums, and it is kept only when strictly smaller, since the logistic loss's adjoint only collapses to
 * σ − y that way; so is a sum of quotients over one denominator (common-denominator.ts).
 */
const B = SIMPLIFY_BUDGET;

/**
 * A sum, in normal form. When some of its terms are element-wise products over sums, the fully
 * distributed sum is tried too and kept if strictly smaller: (1 − y) ⊙ σ − (1 − σ) ⊙ y is σ − y
 * (simp.hadamard-distribute); then quotients over one denominator, if strictly smaller.
 */
export function add(s: Simplifier, terms: readonly Term[], shape: Shape): Term {
  const sum = addDistributed(s, terms, shape);
  // simp.common-denominator (common-denominator.ts): quotients sharing a denominator, over it.
  return s.search.expandingSum ? sum : (overCommonDenominator(s, sum, shape) ?? sum);
}

/** The sum in normal form, or its fully distributed form when strictly smaller. */
function addDistributed(s: Simplifier, terms: readonly Term[], shape: Shape): Term {
  const plain = s.addPlain(terms, shape);
  if (s.search.expandingSum || plain.kind !== 'add') return plain;
  const tooMany = plain.terms.length > B.distributeMaxTerms;
  if (tooMany || treeSize(plain) > B.distributeMaxSize) {
    if (plain.terms.some((t) => s.distributable(t))) s.limitHit(tooMany ? 'distributeMaxTerms' : 'distributeMaxSize');
    return plain;
  }
  if (!plain.terms.some((t) => s.distributable(t))) return plain;
  s.search.expandingSum = true;
  // The distributed sum's steps stay in a trace of steps only when it is kept.
  const mark = s.stepMark();
  try {
    const monomials: Term[] = [];
    for (const t of plain.terms) {
      if (!s.distributeAll(t, monomials, B.distributeMaxMonomials)) {
        s.limitHit('distributeMaxMonomials');
        s.dropStepsAfter(mark);
        return plain;
      }
    }
    const expanded = s.addPlain(monomials, shape);
    if (treeSize(expanded) < treeSize(plain)) return s.applied('simp.hadamard-distribute', undefined, expanded);
    s.dropStepsAfter(mark);
    return plain;
  } finally {
    s.search.expandingSum = false;
  }
}

/** Whether a term is (a multiple of) an element-wise product, or a scalar product, with a sum among its factors. */
export function distributable(s: Simplifier, t: Term): boolean {
  // A scalar product with a sum among its factors (the 1×1 case of an element-wise one).
  if (scalarSumFactor(s, t) !== undefined) return true;
  const core = t.kind === 'mul' && !isScalar(t) ? s.parts(t).chain : [t];
  if (core.length !== 1) return false;
  const h = core[0]!;
  const factors = h.kind === 'hmul' ? h.factors : h.kind === 'hdiv' ? (h.left.kind === 'hmul' ? h.left.factors : [h.left]) : [];
  return factors.some((f) => f.kind === 'add');
}

/** Appends the fully distributed terms of t; false when there would be more than `limit`. */
export function distributeAll(s: Simplifier, t: Term, out: Term[], limit: number): boolean {
  if (!s.distributable(t)) {
    out.push(t);
    return out.length <= limit;
  }
  const scalar = scalarSumFactor(s, t);
  if (scalar !== undefined) {
    for (const term of scalar.sum.terms) if (!s.distributeAll(s.mul([T.num(scalar.coef), term, ...scalar.others]), out, limit)) return false;
    return true;
  }
  const p = t.kind === 'mul' && !isScalar(t) ? s.parts(t) : { coef: 1, scalars: [], chain: [t] };
  const h = p.chain[0]!;
  const numerators = h.kind === 'hmul' ? h.factors : h.kind === 'hdiv' ? (h.left.kind === 'hmul' ? h.left.factors : [h.left]) : [h];
  const denominators = h.kind === 'hdiv' ? [h.right] : [];
  const index = numerators.findIndex((f) => f.kind === 'add');
  const sum = numerators[index] as Extract<Term, { kind: 'add' }>;
  const others = numerators.filter((_, i) => i !== index);
  for (const term of sum.terms) {
    const piece = s.mul([T.num(p.coef), ...p.scalars, s.elementwise([term, ...others], denominators, t.shape)]);
    if (!s.distributeAll(piece, out, limit)) return false;
  }
  return true;
}

/** A sum in normal form, without trying the distributed form. */
export function addPlain(s: Simplifier, terms: readonly Term[], shape: Shape): Term {
  // simp.factor-hadamard-one: G + G ⊙ a, with G itself a sum, is G ⊙ (𝟙 + a): found before G is
  // flattened into the sum (afterwards G is gone as a term). Adjoints of residual chains have exactly this shape.
  if (terms.some((t) => t.kind === 'add') && terms.some((t) => t.kind === 'hmul' || t.kind === 'mul')) {
    const whole = terms.map((t) => {
      const [c, rest] = splitCoefficient(t);
      return { rest, c };
    });
    const factored = s.factorOnce(whole, shape, true);
    if (factored) return s.add(factored.map((e) => s.scale(e.c, e.rest)), shape);
  }
  // simp.add-zero, simp.collect-like: cA + dA = (c + d)A, and zeros dropped.
  const collected = new Map<Term, number>();
  const visit = (t: Term) => {
    if (t.kind === 'zero') {
      s.applied('simp.add-zero');
      return;
    }
    const c = coefficientOf(t);
    if (c === 0) {
      s.applied('simp.add-zero');
      return;
    }
    const rest = restOf(t);
    const before = collected.get(rest);
    if (before !== undefined) s.applied('simp.collect-like');
    collected.set(rest, (before ?? 0) + c);
  };
  const multiples = multiplesToFlatten(s, terms);
  for (const t of terms) {
    // simp.add-flatten: (A + B) + C = A + B + C, except for a sum the user named (kept as one term).
    if (t.kind === 'add' && !s.kept.has(t)) {
      if (t.terms.length <= 2 * B.flattenMax) {
        s.applied('simp.add-flatten');
        t.terms.forEach(visit);
        continue;
      }
      s.limitHit('flattenMax');
    }
    const multiple = multiples?.get(t);
    if (multiple !== undefined) {
      s.applied('simp.add-flatten-multiple');
      for (const u of multiple.terms) visit(s.scale(multiple.c, u));
      continue;
    }
    visit(t);
  }
  sigmoidComplements(s, collected, shape);
  let entries: Entry[] = [];
  for (const [rest, c] of collected) if (c !== 0) entries.push({ rest, c });
  if (entries.length === 0) return T.zero(shape);
  {
    // Each round is linear in the number of terms; huge sums get a few rounds only.
    const rounds = entries.length <= B.largeSum ? B.factorRounds : B.factorRoundsLargeSum;
    let round = 0;
    for (; round < rounds && entries.length > 1; round++) {
      const factored = s.factorOnce(entries, shape);
      if (!factored) break;
      entries = factored;
    }
    if (round === rounds && entries.length > 1) s.limitHit('factorRounds');
  }
  if (entries.length === 0) return T.zero(shape);
  if (entries.length === 1) return s.scale(entries[0]!.c, entries[0]!.rest);
  // simp.add-commute: terms in canonical order, positive ones first.
  const unsorted = s.tracing ? entries.map((e) => e.rest) : undefined;
  entries.sort((a, b) => (a.c < 0 ? 1 : 0) - (b.c < 0 ? 1 : 0) || compareTerms(a.rest, b.rest));
  // simp.factor-number: a common numeric factor comes out: 2Ax − 2y = 2(Ax − y).
  if (unsorted?.some((t, i) => t !== entries[i]!.rest)) s.applied('simp.add-commute');
  const first = Math.abs(entries[0]!.c);
  if (first !== 1 && entries.every((e) => Math.abs(e.c) === first)) {
    s.applied('simp.factor-number');
    const sign = entries.every((e) => e.c < 0) ? -1 : 1;
    const inner = T.add(entries.map((e) => s.scale(e.c / (first * sign), e.rest)));
    return T.mul([T.num(first * sign), inner]);
  }
  return T.add(entries.map((e) => s.scale(e.c, e.rest)));
}

/**
 * simp.add-flatten-multiple: c(A + B) + D = cA + cB + D, for a numeric multiple of a sum that shares
 * a like term with the rest of the sum (2(T₁ − T₂) + 2T₁ − 2T₂ collects to 4(T₁ − T₂)). Only then:
 * 2(Ax − y) + z reads better unflattened. The multiples to flatten, by term; undefined when none.
 */
function multiplesToFlatten(s: Simplifier, terms: readonly Term[]): Map<Term, { c: number; terms: readonly Term[] }> | undefined {
  if (!terms.some((t) => t.kind === 'mul' && t.factors.length === 2 && t.factors[1]!.kind === 'add')) return undefined;
  // How many terms (the inner terms of flattenable sums counted one by one) each remainder has.
  const count = new Map<Term, number>();
  const note = (t: Term) => count.set(restOf(t), (count.get(restOf(t)) ?? 0) + 1);
  const inner = (t: Term) => {
    const [c, rest] = splitCoefficient(t);
    return c !== 1 && rest.kind === 'add' && !s.kept.has(rest) && rest.terms.length <= 2 * B.flattenMax ? rest : undefined;
  };
  for (const t of terms) {
    const sum = t.kind === 'add' && !s.kept.has(t) ? t : inner(t);
    if (sum !== undefined) sum.terms.forEach(note);
    else note(t);
  }
  let out: Map<Term, { c: number; terms: readonly Term[] }> | undefined;
  for (const t of terms) {
    const sum = inner(t);
    if (sum === undefined || !sum.terms.some((u) => count.get(restOf(u))! > 1)) continue;
    (out ??= new Map()).set(t, { c: coefficientOf(t), terms: sum.terms });
  }
  return out;
}

/**
 * simp.sigmoid-complement: cσ(u) + cσ(−u) = c𝟙, on the collected terms (the Bernoulli
 * log-likelihood written with logsigmoid has the gradient Xᵀ(y − σ(Xw)) this way).
 */
function sigmoidComplements(s: Simplifier, collected: Map<Term, number>, shape: Shape): void {
  // Both identities below rewrite a sigmoid among the terms; most sums have none, and are left as they are.
  if (!hasSigmoid(collected)) return;
  for (const [term, c] of [...collected]) {
    if (term.kind !== 'fn' || term.fn !== 'sigmoid' || collected.get(term) !== c) continue;
    const [sign, rest] = splitCoefficient(term.operand);
    const mirror = T.fn('sigmoid', sign === -1 ? rest : T.mul([T.num(-1), term.operand]));
    if (mirror === term || collected.get(mirror) !== c) continue;
    const one = isScalar(term) ? T.num(1) : T.ones(shape);
    collected.delete(term);
    collected.delete(mirror);
    collected.set(one, (collected.get(one) ?? 0) + c);
    s.applied('simp.sigmoid-complement');
  }
  // simp.one-minus-sigmoid: c𝟙 − cσ(−u) = cσ(u), only for a negated argument: 1 − σ(−u) loses a
  // minus sign, while 1 − σ(WX) is kept (it may be 1 − Y for a user's Y = σ(WX)).
  const one = isScalarShape(shape) ? T.num(1) : T.ones(shape);
  const c = collected.get(one);
  if (c === undefined) return;
  for (const [term, d] of collected) {
    if (d !== -c || term.kind !== 'fn' || term.fn !== 'sigmoid') continue;
    if (coefficientOf(term.operand) !== -1) continue;
    collected.delete(term);
    collected.delete(one);
    const mirror = s.fn('sigmoid', s.scale(-1, term.operand));
    collected.set(mirror, (collected.get(mirror) ?? 0) + c);
    s.applied('simp.one-minus-sigmoid');
    return;
  }
}

function hasSigmoid(collected: ReadonlyMap<Term, number>): boolean {
  for (const term of collected.keys()) if (term.kind === 'fn' && term.fn === 'sigmoid') return true;
  return false;
}

/** splitCoefficient(t)[0] without building the rest. */
function coefficientOf(t: Term): number {
  if (t.kind === 'num') return t.value;
  return t.kind === 'mul' && t.factors[0]!.kind === 'num' ? t.factors[0]!.value : 1;
}

/** A term as numeric coefficient and the rest: 2AB → (2, AB). */
export function splitCoefficient(t: Term): [number, Term] {
  return [coefficientOf(t), restOf(t)];
}

/** splitCoefficient(t)[1] without the pair: a sum's terms are split one by one, and most have no coefficient. */
function restOf(t: Term): Term {
  if (t.kind === 'num') return T.num(1);
  if (t.kind !== 'mul' || t.factors[0]!.kind !== 'num') return t;
  return t.factors.length === 2 ? t.factors[1]! : T.mul(t.factors.slice(1));
}
