import { kroneckerChain } from './kronecker.js';
import * as T from '../term/factory.js';
import { isScalar, type Term, type TermOf } from '../term/term.js';
import { treeSize } from './measures.js';
import { compareTerms } from './order.js';
import type { Parts, Simplifier } from './simplifier-types.js';
import { distributeMonomial, monomialIdentities, scalarChainLast } from './scalar-monomials.js';
import { blockProduct, stackedInnerProduct } from './block-products.js';
import { onesInnerProduct } from './ones-products.js';
import { powerView } from './chains.js';
import { SIMPLIFY_BUDGET } from './budget.js';

/**
 * Products, inverses and matrix powers. A product's normal form is flat: the numeric coefficient
 * first, then the scalar factors as a monomial (det(X)⁻¹·det(X) cancels), then the matrix chain with
 * identities dropped, runs of one base compressed to powers (X X → X², X⁻¹X → I) and Diag(a)v → a ⊙ v
 * (chains.ts).
 * Scalars commute with everything, so gathering them in front is what lets like terms meet in a sum;
 * the chain keeps its order (matrix products do not commute). A product is never expanded over a sum:
 * that is what keeps 2Aᵀ(Ax − y) from becoming 2AᵀAx − 2Aᵀy.
 */
/** Splits a canonical term into numeric coefficient, scalar factors and matrix chain (memoised). */
export function parts(s: Simplifier, t: Term): Parts {
  let p = s.partsMemo.get(t);
  if (p === undefined) {
    p = partsUncached(t);
    s.partsMemo.set(t, p);
  }
  return p;
}

/** The empty scalars or chain of many parts, shared (parts are read only). */
const NONE: readonly Term[] = Object.freeze([]);

function partsUncached(t: Term): Parts {
  if (t.kind === 'num') return { coef: t.value, scalars: NONE, chain: NONE };
  if (t.kind === 'mul') {
    let coef = 1;
    const scalars: Term[] = [];
    let chain: Term[] = [];
    for (const f of t.factors) {
      if (f.kind === 'num') coef *= f.value;
      else if (isScalar(f)) scalars.push(f);
      else chain.push(f);
    }
    // A scalar-valued chain (xᵀy) is one scalar factor.
    if (isScalar(t) && chain.length > 0) {
      scalars.push(T.mul(chain));
      chain = [];
    }
    return { coef, scalars: scalars.length === 0 ? NONE : scalars, chain: chain.length === 0 ? NONE : chain };
  }
  if (isScalar(t)) return { coef: 1, scalars: [t], chain: NONE };
  return { coef: 1, scalars: NONE, chain: [t] };
}

export function mul(s: Simplifier, factors: readonly Term[]): Term {
  const shape = T.productShape(factors);
  let coef = 1;
  // Made at the first scalar factor: most matrix chains have none.
  let monomial: Map<Term, number> | undefined;
  // A bare matrix chain (no number, scalar or nested product: most products) is its own chain.
  const bare = isBareChain(factors);
  const chain: Term[] = bare ? (factors as Term[]) : [];
  for (let i = 0; i < (bare ? 0 : factors.length); i++) {
    const f = factors[i]!;
    // simp.mul-zero: 0·A = 0.
    if (f.kind === 'zero' || (f.kind === 'num' && f.value === 0)) return s.applied('simp.mul-zero', undefined, T.zero(shape));
    if (f.kind === 'num') {
      // simp.mul-one: 1·A = A (the coefficient is written only when it is not 1).
      if (f.value === 1) s.applied('simp.mul-one');
      // simp.fold-constant: numbers multiply into one coefficient.
      else if (coef !== 1) s.applied('simp.fold-constant');
      coef *= f.value;
      continue;
    }
    if (f.kind === 'mul') {
      if (f.factors.length <= SIMPLIFY_BUDGET.flattenMax) {
        // simp.mul-flatten, simp.scalar-front: a nested product is flattened. Its scalars join
        // ours; its chain joins our chain, unless it is a scalar-valued chain (xᵀy), which parts()
        // turns into one scalar factor.
        const p = s.parts(f);
        s.applied(p.coef !== 1 || p.scalars.length > 0 ? 'simp.scalar-front' : 'simp.mul-flatten');
        coef *= p.coef;
        for (const x of p.scalars) addScalar(s, (monomial ??= new Map()), x);
        for (const x of p.chain) chain.push(x);
        continue;
      }
      s.limitHit('flattenMax');
    }
    if (isScalar(f)) {
      addScalar(s, (monomial ??= new Map()), f);
      continue;
    }
    chain.push(f);
  }
  if (coef === 0) return s.applied('simp.mul-zero', undefined, T.zero(shape));
  const scalars: Term[] = [];
  const powers = monomial as Map<Term, number> | undefined;
  // The monomial's identities: none applies to a product without scalar factors (most matrix chains).
  if (powers !== undefined) {
    monomialIdentities(s, powers);
    for (const [base, e] of powers) {
      if (e === 0) continue;
      scalars.push(e === 1 ? base : T.epow(base, T.num(e)));
    }
  }
  const met = s.tracing ? [...scalars] : undefined;
  scalars.sort(compareTerms);
  // simp.scalar-commute: scalar factors commute; they stand in canonical order, before the chain.
  if (met?.some((t, i) => t !== scalars[i]) || (s.tracing && scalarAfterMatrix(factors))) s.applied('simp.scalar-commute');
  // simp.hadamard-distribute (scalar-monomials.ts): a sum among the scalar factors, distributed where
  // a factor cancels, when strictly smaller.
  const scalarProduct = shape[0] === 1 && shape[1] === 1;
  const distributed = powers === undefined ? undefined : distributeMonomial(s, powers, scalars);
  if (distributed !== undefined) return s.mul([T.num(coef), distributed, ...chain]);
  scalarChainLast(s, scalars, chain, scalarProduct);
  const paired = chain.length < 2 ? undefined : pairIdentities(s, chain);
  if (paired !== undefined) return s.mul([T.num(coef), ...scalars, ...paired]);
  const compressed = s.compressChain(chain, shape);
  // compressChain's array is ours: a bare chain (most products) is interned as it is.
  if (coef === 1 && scalars.length === 0) return compressed.length === 0 ? T.num(1) : T.mul(compressed);
  const out: Term[] = [];
  if (coef !== 1) out.push(T.num(coef));
  for (const f of scalars) out.push(f);
  for (const f of compressed) out.push(f);
  return T.mul(out);
}

/**
 * The chain with its first pair of neighbours rewritten by one of the identities between two
 * factors, tried in this order, or undefined when none applies (a chain of one factor has no pair).
 */
function pairIdentities(s: Simplifier, chain: readonly Term[]): readonly Term[] | undefined {
  // simp.kron-vec, simp.vec-inner: (P ⊗ Q)vec(X) = vec(QXPᵀ), vec(X)ᵀvec(Y) = ⟨X, Y⟩ (kronecker.ts).
  const unkroned = kroneckerChain(s, chain);
  if (unkroned !== undefined) return unkroned;
  const stacked = stackedInnerProduct(s, chain);
  if (stacked !== undefined) return [stacked];
  const blocks = blockProduct(s, chain);
  if (blocks !== undefined) return blocks;
  const cancelled = innerProductCancelling(s, chain);
  if (cancelled !== undefined) return [cancelled];
  return onesInnerProduct(s, chain);
}

/**
 * Whether mul() would copy every factor into its chain as it is. Such a chain is never written
 * to (scalarChainLast fills only an empty chain), so mul() reads the factors in place.
 */
function isBareChain(factors: readonly Term[]): boolean {
  if (factors.length === 0) return false;
  for (let i = 0; i < factors.length; i++) {
    const f = factors[i]!;
    if (f.kind === 'num' || f.kind === 'zero' || f.kind === 'mul' || isScalar(f)) return false;
  }
  return true;
}

/** simp.scalar-power-merge, simp.scalar-monomial: a scalar's powers add up (s·s² = s³, c⁻¹c = 1). */
function addScalar(s: Simplifier, monomial: Map<Term, number>, f: Term): void {
  const power = f.kind === 'epow' && f.exponent.kind === 'num' && isScalar(f.base);
  const base = power ? f.base : f;
  const e = power ? (f.exponent as TermOf<'num'>).value : 1;
  const before = monomial.get(base);
  if (before !== undefined) s.applied(before + e === 0 ? 'simp.scalar-monomial' : 'simp.scalar-power-merge');
  monomial.set(base, (before ?? 0) + e);
}

/**
 * simp.inner-hadamard-cancel: aᵀ(b ⊘ a) = sum(b), and in general uᵀv = sum(u ⊙ v) where u cancels
 * against v's element-wise factors (⟨a, b ⊘ a⟩ = ⟨𝟙, b⟩): the softmax cross-entropy's
 * exp(z)ᵀ(y ⊘ exp(z)) is sum(y). Undefined unless the chain is such an inner product and u cancels.
 */
function innerProductCancelling(s: Simplifier, chain: readonly Term[]): Term | undefined {
  if (chain.length !== 2) return undefined;
  const [row, column] = chain as [Term, Term];
  if (row.shape[0] !== 1 || column.shape[1] !== 1 || (column.kind !== 'hdiv' && column.kind !== 'hmul')) return undefined;
  const u = s.transpose(row);
  const product = s.hmul([u, column], column.shape);
  if (treeSize(product) >= treeSize(column)) return undefined;
  return s.applied('simp.inner-hadamard-cancel', undefined, s.reduce('sum', product));
}

/** Whether a scalar stands after a matrix, or a number after another factor (the normal form moves them in front). */
function scalarAfterMatrix(factors: readonly Term[]): boolean {
  let matrix = false;
  let other = false;
  for (const f of factors) {
    if (!isScalar(f)) matrix = true;
    else if (matrix || (f.kind === 'num' && other)) return true;
    if (f.kind !== 'num') other = true;
  }
  return false;
}


export function scale(s: Simplifier, c: number, t: Term): Term {
  return c === 1 ? t : s.mul([T.num(c), t]);
}

export function inv(s: Simplifier, x: Term): Term {
  // The local rules first (rules/simplify.rules): a 1×1 inverse is a reciprocal, (A⁻¹)⁻¹ = A,
  // I⁻¹ = I, (Aᵀ)⁻¹ = (A⁻¹)ᵀ.
  const local = s.rewriteLocal('inv', x);
  if (local !== undefined) return local;
  // simp.inverse-power: (Aᵏ)⁻¹ = A⁻ᵏ.
  if (x.kind === 'mpow') {
    s.applied('simp.inverse-power');
    return s.fromPower(x.operand, -x.exponent);
  }
  if (x.kind === 'mul') {
    const p = s.parts(x);
    if (p.chain.length === 1 && (p.coef !== 1 || p.scalars.length > 0)) {
      // simp.inverse-scale: (cA)⁻¹ = c⁻¹A⁻¹.
      s.applied('simp.inverse-scale');
      return s.mul([T.num(1 / p.coef), ...p.scalars.map((f) => s.epow(f, T.num(-1))), s.inv(p.chain[0]!)]);
    }
  }
  return T.inv(x);
}

export function mpow(s: Simplifier, x: Term, k: number): Term {
  // simp.mpow-scalar: a 1×1 matrix power is a scalar power.
  if (isScalar(x)) return s.applied('simp.mpow-scalar', undefined, s.epow(x, T.num(k)));
  // simp.mpow-identity
  if (x.kind === 'eye') return s.applied('simp.mpow-identity', undefined, x);
  // simp.mpow-power: (Aʲ)ᵏ = Aʲᵏ, and (A⁻¹)ᵏ = A⁻ᵏ.
  const view = powerView(x);
  if (view.k !== 1) s.applied('simp.mpow-power');
  return s.fromPower(view.base, view.k * k);
}
