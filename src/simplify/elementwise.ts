import * as T from '../term/factory.js';
import { isScalar, type ElementwiseFn, type Shape, type Term, type TermOf } from '../term/term.js';
import { SIMPLIFY_BUDGET } from './budget.js';
import { treeSize } from './measures.js';
import { reluTimesStep } from './activations.js';
import { foldFunction } from './fold-functions.js';
import { compareTerms } from './order.js';
import { quotientsToTanh } from './named-quotients.js';
import { quotientsToSigmoid } from './logistic.js';
import { reduceSignPowers, signPowerExponent, sigmoidPairs } from './signs.js';
import type { PendingStep, Simplifier } from './simplifier-types.js';

/**
 * Element-wise operations: Hadamard products and quotients, element-wise powers and functions.
 * Their normal form is one flat quotient Π numerators ⊘ Π denominators with equal bases merged into
 * powers across the bar, because that is where like factors meet and cancel (a ⊙ b ⊘ a → b). The
 * one expansion in the simplifier is here (tryDistribute): an element-wise product over a sum, kept
 * only when strictly smaller. Functions fold constants only where the result is exact.
 */
const B = SIMPLIFY_BUDGET;

export function hmul(s: Simplifier, factors: readonly Term[], shape: Shape): Term {
  return s.elementwise(factors, [], shape);
}

export function hdiv(s: Simplifier, a: Term, b: Term): Term {
  // The local rules first (rules/simplify.rules): a ⊘ b = a·b⁻¹ for scalars.
  const local = s.rewriteLocal('hdiv', a, b);
  if (local !== undefined) return local;
  return s.elementwise([a], [b], a.shape);
}

/**
 * The normal form of element-wise products and quotients: Π numerators ⊘ Π denominators, flat
 * (simp.hadamard-flatten, simp.hadamard-quotient), with scalars pulled out front
 * (simp.hadamard-scale), 𝟙 dropped (simp.hadamard-ones), equal bases merged into powers across the
 * bar (simp.hadamard-square: x ⊙ x → x.^2; simp.hadamard-cancel: a ⊙ b ⊘ a → b) and the operands
 * in canonical order (simp.hadamard-commute).
 */
export function elementwise(s: Simplifier, numerators: readonly Term[], denominators: readonly Term[], shape: Shape): Term {
  // simp.hadamard-scalar: with 1×1 operands an element-wise product is a product.
  if (numerators.length > 0 && isScalar(numerators[0]!)) {
    s.applied('simp.hadamard-scalar');
    return s.mul([...numerators, ...denominators.map((d) => s.epow(d, T.num(-1)))]);
  }
  let coef = 1;
  const outer: Term[] = [];
  const powers = new Map<Term, number>();
  const symbolic: Term[] = [];
  // For a trace of steps only: the operands in the order met, to tell whether ordering moved one.
  const met: Term[] | undefined = s.tracing ? [] : undefined;
  const final: Map<Term, Term> | undefined = met === undefined ? undefined : new Map();
  let zero = false;
  const visit = (f: Term, sign: 1 | -1): void => {
    // simp.hadamard-zero: A ⊙ 0 = 0.
    if (f.kind === 'zero') {
      if (sign === 1) zero = true;
      return;
    }
    if (f.kind === 'ones') {
      s.applied('simp.hadamard-ones');
      return;
    }
    if (f.kind === 'hmul') {
      if (f.factors.length <= B.flattenMax) {
        s.applied('simp.hadamard-flatten');
        for (const g of f.factors) visit(g, sign);
        return;
      }
      s.limitHit('flattenMax');
    }
    if (f.kind === 'hdiv') {
      s.applied('simp.hadamard-quotient');
      visit(f.left, sign);
      visit(f.right, sign === 1 ? -1 : 1);
      return;
    }
    if (f.kind === 'mul') {
      const p = s.parts(f);
      if (p.scalars.length > 0 || p.coef !== 1) {
        s.applied('simp.hadamard-scale');
        coef *= sign === 1 ? p.coef : 1 / p.coef;
        outer.push(...(sign === 1 ? p.scalars : p.scalars.map((x) => s.epow(x, T.num(-1)))));
        if (p.chain.length > 0) visit(p.chain.length === 1 ? p.chain[0]! : T.mul(p.chain), sign);
        return;
      }
    }
    if (f.kind === 'epow') {
      if (f.exponent.kind === 'num') {
        // simp.hadamard-negative-power: a negative power is written across the bar, A ⊙ B.^-k = A ⊘ B.^k.
        if (f.exponent.value < 0) s.applied('simp.hadamard-negative-power');
        addPower(f.base, sign * f.exponent.value);
        return;
      }
      if (sign === 1) {
        symbolic.push(f);
        met?.push(f);
        final?.set(f, f);
        return;
      }
    }
    addPower(f, sign);
  };
  // simp.hadamard-square, simp.hadamard-cancel: equal bases merge into one power across the bar.
  const addPower = (base: Term, e: number): void => {
    const before = powers.get(base);
    if (before !== undefined) s.applied(before + e === 0 ? 'simp.hadamard-cancel' : 'simp.hadamard-square');
    else met?.push(base);
    powers.set(base, (before ?? 0) + e);
  };
  for (const f of numerators) visit(f, 1);
  for (const f of denominators) visit(f, -1);
  if (zero) return s.applied('simp.hadamard-zero', undefined, T.zero(shape));
  namedProducts(s, powers, shape);
  const top: Term[] = [...symbolic];
  const bottom: Term[] = [];
  for (const [base, e] of powers) {
    if (e === 0) continue;
    const magnitude = Math.abs(e);
    const term = magnitude === 1 ? base : T.epow(base, T.num(magnitude));
    final?.set(base, term);
    (e > 0 ? top : bottom).push(term);
  }
  top.sort(compareTerms);
  bottom.sort(compareTerms);
  if (met && final) {
    const sorted = [...top, ...bottom];
    const unsorted = met.map((b) => final.get(b)).filter((t) => t !== undefined);
    if (unsorted.some((t, i) => t !== sorted[i])) s.applied('simp.hadamard-commute');
  }
  const numerator = top.length === 0 ? T.ones(shape) : top.length === 1 ? top[0]! : T.hmul(top);
  let core = bottom.length === 0 ? numerator : T.hdiv(numerator, bottom.length === 1 ? bottom[0]! : T.hmul(bottom));
  core = s.tryDistribute(core, top, bottom, shape);
  core = s.pullOutTranspose(core);
  if (coef === 1 && outer.length === 0) return core;
  return s.mul([T.num(coef), ...outer, core]);
}

/**
 * The identities among the factors of one element-wise product, on its exponents by base: named
 * quotients (tanh, σ), powers of ±1 entries, relu ⊙ step. Each needs a function among the bases, a
 * power below the bar or an assumed ±1 variable: most products (x ⊙ exp(kx)) have none, and skip
 * them without building their helpers.
 */
function namedProducts(s: Simplifier, powers: Map<Term, number>, shape: Shape): void {
  if (!mayName(powers, s.context.sign)) return;
  quotientsToTanh(s, powers);
  const note = (rule: string) => void s.applied(rule);
  // simp.exp-over-one-plus-exp (logistic.ts): exp(u) ⊘ (𝟙 + exp(u)) = σ(u).
  const build = { negate: (t: Term) => s.scale(-1, t), sigmoid: (t: Term) => s.fn('sigmoid', t) };
  quotientsToSigmoid(powers, build, note);
  // simp.sign-square, simp.sign-odd-power, simp.sign-sigmoid-pair (signs.ts): entries ±1.
  reduceSignPowers(powers, s.context.sign, note);
  // simp.relu-step (activations.ts): relu(u) ⊙ step(u) = relu(u).
  reluTimesStep(powers, note);
  sigmoidPairs(powers, s.context.sign, { ...build, product: (f: readonly Term[]) => s.elementwise(f, [], shape) }, note);
}

/**
 * Whether namedProducts can change anything: every identity it applies starts from one of these
 * functions among the bases (sinh ⊘ cosh, σ, sign, relu ⊙ step), a negative power (𝟙 ⊘ (𝟙 + exp(u)))
 * or a variable assumed ±1.
 */
const NAMING_FUNCTIONS: ReadonlySet<string> = new Set(['sinh', 'sigmoid', 'sign', 'relu']);

function mayName(powers: ReadonlyMap<Term, number>, sign: ReadonlySet<string> | undefined): boolean {
  const signs = sign !== undefined && sign.size > 0;
  for (const [base, e] of powers) {
    if (e < 0 || (base.kind === 'fn' && NAMING_FUNCTIONS.has(base.fn)) || (signs && base.kind === 'var')) return true;
  }
  return false;
}

/**
 * The one place the simplifier expands (simp.hadamard-distribute): an element-wise product with a
 * sum among its factors is distributed over it, and the result kept only when it is strictly smaller
 * (tree size). This is what turns the logistic loss's (1 − σ) ⊙ ((1 − y) ⊘ (1 − σ) − y ⊘ σ) ⊙ σ into
 * σ − y, while (1 − Y) ⊙ GY ⊙ Y stays as it is. Only element-wise products are distributed: a matrix
 * product is never expanded (2Aᵀ(Ax − y) must not become 2AᵀAx − 2Aᵀy).
 */
export function tryDistribute(s: Simplifier, core: Term, top: readonly Term[], bottom: readonly Term[], shape: Shape): Term {
  // Bounded to small terms, so the search costs O(1) per node and the simplifier stays linear
  // (a tower Yₖ₊₁ = Yₖ ⊙ Yₖ + Yₖ would otherwise expand into an exponential polynomial).
  // Only a sum among the factors is distributed: without one there is nothing to try (nor a limit to hit).
  if (top.length < 2 || !hasSum(top)) return core;
  const deep = s.search.distributing > B.distributeMaxDepth;
  if (deep || treeSize(core) > B.distributeMaxSize) {
    s.limitHit(deep ? 'distributeMaxDepth' : 'distributeMaxSize');
    return core;
  }
  // The search recurses (distributing one sum exposes others), so the same candidate comes up
  // again and again: memoised per candidate and depth, it costs O(1) per distinct candidate.
  const memo = s.memoInState(s.distributed, s.searchState());
  const known = memo.get(core);
  if (known !== undefined) return known;
  let best = core;
  // Only the kept candidate's steps stay in a trace of steps.
  const mark = s.stepMark();
  let kept: readonly PendingStep[] = [];
  s.search.distributing++;
  try {
    top.forEach((factor, index) => {
      const start = s.stepMark();
      if (factor.kind !== 'add') return;
      if (factor.terms.length > B.distributeMaxSumTerms) {
        s.limitHit('distributeMaxSumTerms');
        return;
      }
      const others = top.filter((_, i) => i !== index);
      if (!canCancel(factor, others, bottom)) return;
      const expanded = s.add(
        factor.terms.map((t) => s.elementwise([t, ...others], bottom, shape)),
        shape,
      );
      if (treeSize(expanded) < treeSize(best)) {
        best = expanded;
        kept = s.stepsSince(start);
      }
    });
  } finally {
    s.search.distributing--;
  }
  s.dropStepsAfter(mark);
  if (best !== core) {
    s.applied('simp.hadamard-distribute');
    s.restoreSteps(kept);
  }
  memo.set(core, best);
  return best;
}

function hasSum(factors: readonly Term[]): boolean {
  for (let i = 0; i < factors.length; i++) if (factors[i]!.kind === 'add') return true;
  return false;
}

/**
 * The cost model of tryDistribute: whether distributing `sum` over the other factors can give a
 * smaller term at all, decided without building it. Expanded, every term of the sum is multiplied
 * by all the other factors, so the result is larger unless something cancels: a base that one term
 * divides by and the other factors multiply by, or the other way round (a ⊙ b ⊘ a → b, the logistic
 * loss's (1 − σ) ⊙ (… ⊘ (1 − σ))), or two different functions of one argument up to sign, which merge
 * (exp(u) ⊙ σ(−u) = σ(u), σ(u) ⊙ σ(−u)), or a power meeting its base on the same side of the bar
 * ((1 − T.^2) ⊙ T → T − T.^3, one product fewer). Two plain occurrences of a base on one side only
 * merge into a square (x ⊙ x → x.^2), which is not smaller: each expanded product is then its term
 * beside the same other factors, and factoring the expanded sum gives the same product back. Trying
 * it costs a whole search (exponential in the nested sums of a tower Yₖ₊₁ = Yₖ ⊙ Yₖ + Yₖ, and run
 * only while the terms are small, which made the small towers slower than the large) and never wins.
 */
function canCancel(sum: TermOf<'add'>, others: readonly Term[], bottom: readonly Term[]): boolean {
  const outside = emptySides();
  for (const f of others) addSides(f, outside, false);
  for (const f of bottom) addSides(f, outside, true);
  for (const t of sum.terms) {
    const inside = emptySides();
    addSides(t, inside, false);
    for (const b of inside.over) if (outside.under.has(b) || (outside.over.has(b) && (inside.powered.has(b) || outside.powered.has(b)))) return true;
    for (const b of inside.under) if (outside.over.has(b) || (outside.under.has(b) && (inside.powered.has(b) || outside.powered.has(b)))) return true;
    for (const [argument, fns] of inside.functions) {
      // Two different functions, one in the term and one outside (the same σ(u) on both sides only squares).
      const there = outside.functions.get(argument);
      if (there !== undefined && [...fns].some((f) => [...there].some((g) => g !== f))) return true;
    }
  }
  return false;
}

/** A product's bases above and below the bar, those raised to a power, and its functions by their argument up to sign. */
interface Sides {
  readonly over: Set<Term>;
  readonly under: Set<Term>;
  readonly powered: Set<Term>;
  readonly functions: Map<Term, Set<Term>>;
}

function emptySides(): Sides {
  return { over: new Set(), under: new Set(), powered: new Set(), functions: new Map() };
}

function addSides(t: Term, into: Sides, below: boolean): void {
  switch (t.kind) {
    case 'hmul':
      for (const f of t.factors) addSides(f, into, below);
      return;
    case 'hdiv':
      addSides(t.left, into, below);
      addSides(t.right, into, !below);
      return;
    case 'epow':
      if (t.exponent.kind !== 'num') break;
      // x.^−1 divides by x: on both sides, so it cancels with x wherever x stands.
      addSides(t.base, into, below);
      if (t.exponent.value < 0) addSides(t.base, into, !below);
      into.powered.add(t.base);
      return;
    case 'mul':
      for (const f of t.factors) if (f.kind !== 'num') addSides(f, into, below);
      return;
    case 'fn': {
      const argument = unsigned(t.operand);
      const fns = into.functions.get(argument) ?? new Set<Term>();
      fns.add(t);
      into.functions.set(argument, fns);
      break;
    }
    default:
      break;
  }
  (below ? into.under : into.over).add(t);
}

/** u for −u or c·u (a number times one factor), else the term itself. */
function unsigned(t: Term): Term {
  if (t.kind !== 'mul') return t;
  const rest = t.factors.filter((f) => f.kind !== 'num');
  return rest.length === 1 ? rest[0]! : t;
}

export function epow(s: Simplifier, base: Term, exponent: Term): Term {
  // The local rules first (rules/simplify.rules): A.^1 = A, A.^0 = 𝟙.
  const local = s.rewriteLocal('epow', base, exponent);
  if (local !== undefined) return local;
  if (exponent.kind === 'num') {
    const e = exponent.value;
    // simp.sign-square, simp.sign-odd-power: y.^(2k) = 𝟙, y.^(2k+1) = y for entries ±1.
    const reduced = signPowerExponent(base, e, s.context.sign);
    if (reduced !== undefined) return s.applied(reduced === 0 ? 'simp.sign-square' : 'simp.sign-odd-power', undefined, reduced === 0 ? (isScalar(base) ? T.num(1) : T.ones(base.shape)) : base);
    if (base.kind === 'num') {
      // simp.fold-constant: only exact integer powers.
      const v = base.value ** e;
      if (Number.isFinite(v) && Number.isInteger(e)) return s.applied('simp.fold-constant', undefined, T.num(v));
    }
    if (base.kind === 'fn' && base.fn === 'sqrt' && Number.isInteger(e) && e % 2 === 0) {
      // simp.sqrt-square: √a.^2 = a wherever √a is real (its domain), so √(δ² + u²) squared cancels.
      s.applied('simp.sqrt-square');
      return s.epow(base.operand, T.num(e / 2));
    }
    if (base.kind === 'epow' && base.exponent.kind === 'num' && Number.isInteger(e)) {
      // simp.power-of-power
      s.applied('simp.power-of-power');
      return s.epow(base.base, T.num(base.exponent.value * e));
    }
    if (base.kind === 'mul' && Number.isInteger(e)) {
      const p = s.parts(base);
      if (isScalar(base) && (p.coef !== 1 || p.scalars.length > 1 || p.scalars[0] !== base)) {
        // simp.power-of-product: (c·s·t)^e = cᵉ sᵉ tᵉ, so monomials can cancel.
        s.applied('simp.power-of-product');
        return s.mul([T.num(p.coef ** e), ...p.scalars.map((x) => s.epow(x, exponent))]);
      }
      if (!isScalar(base) && (p.coef !== 1 || p.scalars.length > 0)) {
        // simp.power-of-scaled: (cA).^e = cᵉ A.^e.
        s.applied('simp.power-of-scaled');
        const rest = T.mul(p.chain);
        return s.mul([T.num(p.coef ** e), ...p.scalars.map((x) => s.epow(x, exponent)), T.epow(rest, exponent)]);
      }
    }
  }
  return isScalar(base) ? T.epow(base, exponent) : s.pullOutTranspose(T.epow(base, exponent));
}

export function fn(s: Simplifier, name: ElementwiseFn, x: Term): Term {
  if (x.kind === 'num') {
    // simp.fold-constant
    const folded = foldFunction(name, x.value);
    if (folded !== undefined) return s.applied('simp.fold-constant', undefined, T.num(folded));
  }
  if (x.kind === 'zero') {
    // simp.fn-of-zero: exp(0) = 𝟙, sin(0) = 0, …
    if (name === 'exp' || name === 'cos' || name === 'cosh') return s.applied('simp.fn-of-zero', undefined, T.ones(x.shape));
    if (['sin', 'tan', 'tanh', 'relu', 'abs', 'sign', 'sqrt', 'log1p', 'expm1', 'sinh', 'arctan', 'erf'].includes(name)) return s.applied('simp.fn-of-zero', undefined, x);
  }
  // The local rules (rules/simplify.rules): log(exp(A)) = A, exp(log(A)) = A, log(det(A)) = logdet(A),
  // ||A|| = |A|.
  const local = s.rewriteLocal('fn', x, undefined, name);
  if (local !== undefined) return local;
  if ((name === 'abs' || name === 'relu' || name === 'sign' || name === 'step') && s.isPositive(x)) {
    // simp.abs-positive, simp.relu-positive: |x| = relu(x) = x for entrywise positive x;
    // simp.sign-positive, simp.step-positive: sign(x) = step(x) = 𝟙.
    s.applied(`simp.${name}-positive`);
    if (name === 'abs' || name === 'relu') return x;
    if (name === 'sign' || name === 'step') return T.ones(x.shape);
  }
  return s.pullOutTranspose(T.fn(name, x));
}
