import { kroneckerChain } from './kronecker.js';
import * as T from '../term/factory.js';
import { isScalar, type Shape, type Term, type TermOf } from '../term/term.js';
import { SIMPLIFY_BUDGET } from './budget.js';

const B = SIMPLIFY_BUDGET;
import { treeSize } from './measures.js';
import { compareTerms } from './order.js';
import type { Parts, Simplifier } from './simplifier-types.js';
import { distributeMonomial, monomialIdentities, scalarChainLast } from './scalar-monomials.js';
import { blockProduct, stackedInnerProduct } from './block-products.js';
import { diagonalOf, diagonalsMerged, diagonalTimesVector } from './diagonal-products.js';
import { onesInnerProduct, stochasticTimesOnes } from './ones-products.js';

/**
 * Products, inverses and matrix powers. A product's normal form is flat: the numeric coefficient
 * first, then the scalar factors as a monomial (det(X)⁻¹·det(X) cancels), then the matrix chain with
 * identities dropped, runs of one base compressed to powers (X X → X², X⁻¹X → I) and Diag(a)v → a ⊙ v.
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

function partsUncached(t: Term): Parts {
  if (t.kind === 'num') return { coef: t.value, scalars: [], chain: [] };
  if (t.kind === 'mul') {
    const p: Parts = { coef: 1, scalars: [], chain: [] };
    for (const f of t.factors) {
      if (f.kind === 'num') p.coef *= f.value;
      else if (isScalar(f)) p.scalars.push(f);
      else p.chain.push(f);
    }
    // A scalar-valued chain (xᵀy) is one scalar factor.
    if (isScalar(t) && p.chain.length > 0) {
      p.scalars.push(T.mul(p.chain));
      p.chain = [];
    }
    return p;
  }
  if (isScalar(t)) return { coef: 1, scalars: [t], chain: [] };
  return { coef: 1, scalars: [], chain: [t] };
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
  // simp.kron-vec, simp.vec-inner: (P ⊗ Q)vec(X) = vec(QXPᵀ), vec(X)ᵀvec(Y) = ⟨X, Y⟩ (kronecker.ts).
  const unkroned = kroneckerChain(s, chain);
  if (unkroned !== undefined) return s.mul([T.num(coef), ...scalars, ...unkroned]);
  const stacked = stackedInnerProduct(s, chain);
  if (stacked !== undefined) return s.mul([T.num(coef), ...scalars, stacked]);
  const blocks = blockProduct(s, chain);
  if (blocks !== undefined) return s.mul([T.num(coef), ...scalars, ...blocks]);
  const cancelled = innerProductCancelling(s, chain);
  if (cancelled !== undefined) return s.mul([T.num(coef), ...scalars, cancelled]);
  const counted = onesInnerProduct(s, chain);
  if (counted !== undefined) return s.mul([T.num(coef), ...scalars, ...counted]);
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

/**
 * Drops identities (simp.identity-drop, also inside a trace: tr(AᵀI) = tr(Aᵀ)), merges runs of one
 * base into powers (simp.power-merge, simp.inverse-cancel), rewrites Diag(a)·v = a ⊙ v
 * (simp.diag-times-vector).
 */
export function compressChain(s: Simplifier, chain: readonly Term[], shape: Shape): Term[] {
  const factors = cancelInverseOfProduct(s, chain);
  const written = hasRuns(factors) ? mergedRuns(s, factors) : factors;
  const out: Term[] = [];
  for (let i = 0; i < written.length; i++) {
    const f = written[i]!;
    const prev = out[out.length - 1];
    // 𝟙𝟙ᵀ stays a product: a matrix of ones prints as a bare 1 in I − 1/n, which no textbook writes.
    // simp.stochastic-ones (ones-products.ts): Y𝟙 = 𝟙 for Y whose rows are distributions.
    const merged = prev === undefined ? undefined : (diagonalsMerged(s, prev, f) ?? stochasticTimesOnes(s, prev, f));
    if (merged !== undefined) {
      out[out.length - 1] = merged;
      continue;
    }
    if (prev && f.shape[1] === 1 && f.kind !== 'ones') {
      const scaled = diagonalTimesVector(s, prev, f);
      if (scaled !== undefined) {
        out[out.length - 1] = scaled;
        continue;
      }
    }
    // simp.vector-times-diag: vᵀDiag(a)⁻¹ = (v ⊘ a)ᵀ, unless a column vector follows (Diag(a)⁻¹u is
    // taken first: uᵀ(a ⊙ v) as before).
    const next = written[i + 1];
    const vectorNext = next !== undefined && next.shape[1] === 1 && next.kind !== 'ones';
    if (prev && prev.shape[0] === 1 && prev.kind !== 'ones' && diagonalOf(f) !== undefined && !vectorNext) {
      out[out.length - 1] = s.transpose(diagonalTimesVector(s, f, s.transpose(prev))!);
      s.applied('simp.vector-times-diag');
      continue;
    }
    out.push(f);
  }
  if (out.length === 0 && !(shape[0] === 1 && shape[1] === 1)) return [T.eye(shape[0])];
  return repeatsToPowers(s, out);
}

/** Whether a chain has an identity or two neighbours of one base (X X, X⁻¹X, Xᵀ(X²)ᵀ), which mergedRuns changes. */
function hasRuns(chain: readonly Term[]): boolean {
  let previous: Term | undefined;
  for (let i = 0; i < chain.length; i++) {
    const f = chain[i]!;
    if (f.kind === 'eye') return true;
    const base = baseOfFactor(f);
    if (base === previous) return true;
    previous = base;
  }
  return false;
}

/** The chain with identities dropped and each run of one base merged into one power. */
function mergedRuns(s: Simplifier, chain: readonly Term[]): Term[] {
  // The runs as parallel arrays (base, power, the factor as written): no object per factor.
  const bases: Term[] = [];
  const powers: number[] = [];
  const written: Term[] = [];
  for (const f of chain) {
    if (f.kind === 'eye') {
      s.applied('simp.identity-drop');
      continue;
    }
    const k = powerOf(f);
    const base = baseOfFactor(f);
    const top = bases.length - 1;
    if (top >= 0 && bases[top] === base) {
      s.applied(powers[top]! + k === 0 ? 'simp.inverse-cancel' : 'simp.power-merge');
      powers[top]! += k;
      if (powers[top] === 0) {
        bases.pop();
        powers.pop();
        written.pop();
      } else written[top] = s.fromPower(base, powers[top]!);
    } else {
      bases.push(base);
      powers.push(k);
      written.push(f);
    }
  }
  return written;
}

/**
 * simp.repeat-to-power: ABAB = (AB)², and (AB)²AB = (AB)³: a block of factors repeated side by side
 * is one power of its product. Without it the reverse sweep's contributions to tr((MZ)ᵏ), written
 * MZMZ in one and (MZ)² in another, are not like terms, and a long chain MZ⋯MZ is too long to
 * flatten. Powers of products already in the chain are read as their repeats first. Greedy from the
 * left, the shortest block that repeats at each position; a chain of more than repeatTokensMax
 * factors written out (budget.ts) is left alone.
 */
/** `chain` (compressChain's own array) is returned as it is when nothing repeats. */
function repeatsToPowers(s: Simplifier, chain: Term[]): Term[] {
  if (chain.length < 2 || (chain.length < 4 && !chain.some(isPowerOfProduct))) return chain;
  const tokens: Term[] = [];
  for (const f of chain) {
    if (isPowerOfProduct(f)) for (let k = 0; k < f.exponent; k++) tokens.push(...(f.operand as Extract<Term, { kind: 'mul' }>).factors);
    else tokens.push(f);
    if (tokens.length > B.repeatTokensMax) {
      s.limitHit('repeatTokensMax');
      return chain;
    }
  }
  const out: Term[] = [];
  let changed = false;
  for (let i = 0; i < tokens.length; ) {
    // The shortest block that repeats here (O(n) per position until one is found).
    let best = { length: 1, count: 1 };
    for (let length = 2; i + 2 * length <= tokens.length && best.count === 1; length++) {
      if (tokens[i + length] !== tokens[i]) continue;
      let count = 1;
      while (i + (count + 1) * length <= tokens.length && sameRun(tokens, i, i + count * length, length)) count++;
      if (count >= 2) best = { length, count };
    }
    if (best.count >= 2) {
      out.push(T.mpow(T.mul(tokens.slice(i, i + best.length)), best.count));
      i += best.length * best.count;
      changed = true;
    } else out.push(tokens[i++]!);
  }
  if (!changed) return chain;
  if (out.length !== chain.length || out.some((f, i) => f !== chain[i])) s.applied('simp.repeat-to-power');
  return out;
}

function isPowerOfProduct(f: Term): f is Extract<Term, { kind: 'mpow' }> {
  return f.kind === 'mpow' && f.exponent > 0 && f.operand.kind === 'mul';
}

function sameRun(tokens: readonly Term[], a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (tokens[a + k] !== tokens[b + k]) return false;
  return true;
}

/** Base^k, with a transposed base written (Bᵏ)ᵀ (simp.power-transpose). */
export function fromPower(s: Simplifier, base: Term, k: number): Term {
  if (base.kind === 'transpose') {
    // simp.power-transpose: (Aᵀ)ᵏ = (Aᵏ)ᵀ.
    s.applied('simp.power-transpose');
    const inner = plainPower(base.operand, k);
    return inner.kind === 'eye' ? inner : s.transpose(inner);
  }
  return plainPower(base, k);
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

/**
 * simp.inverse-product-cancel: (AX)⁻¹A = X⁻¹ and B(XB)⁻¹ = X⁻¹ for square A, B (so the rest is square
 * too, and AX invertible makes both factors invertible), also transposed: Aᵀ(AX)⁻ᵀ = X⁻ᵀ. The
 * determinant's pullback through det(AXB) meets them: Aᵀ(AXB)⁻ᵀBᵀ is X⁻ᵀ (Cookbook (51)).
 */
function cancelInverseOfProduct(s: Simplifier, chain: readonly Term[]): readonly Term[] {
  let out = chain;
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < out.length && !changed; i++) {
      const view = powerView(out[i]!);
      if (view.k !== -1) continue;
      const factors = productFactors(s, view.base);
      if (factors === undefined) continue;
      const first = factors[0]!;
      const last = factors[factors.length - 1]!;
      if (out[i + 1] === first && isSquare(first)) {
        out = [...out.slice(0, i), s.inv(s.mul(factors.slice(1))), ...out.slice(i + 2)];
        changed = true;
      } else if (i > 0 && out[i - 1] === last && isSquare(last)) {
        out = [...out.slice(0, i - 1), s.inv(s.mul(factors.slice(0, -1))), ...out.slice(i + 1)];
        changed = true;
      }
      if (changed) s.applied('simp.inverse-product-cancel');
    }
  }
  return out;
}

/** The factors of a product of two or more matrices (none a scalar), or of its transpose (BᵀAᵀ for (AB)ᵀ). */
function productFactors(s: Simplifier, base: Term): readonly Term[] | undefined {
  const product = base.kind === 'transpose' && base.operand.kind === 'mul' ? s.transpose(base.operand) : base;
  if (product.kind !== 'mul' || product.factors.length < 2 || product.factors.some(isScalar)) return undefined;
  return product.factors;
}

function isSquare(t: Term): boolean {
  return t.shape[0] === t.shape[1];
}

/** powerView(f).base, built only where it differs from f. */
function baseOfFactor(f: Term): Term {
  // An mpow's base is its operand whatever its power (a power of 1 is never built, but may be written).
  return f.kind === 'mpow' || powerOf(f) !== 1 ? baseOf(f) : f;
}

/** powerView(f).k, without building the base. */
function powerOf(f: Term): number {
  if (f.kind === 'transpose') return powerOf(f.operand);
  if (f.kind === 'mpow') return f.operand.kind === 'inv' ? -f.exponent : f.exponent;
  return f.kind === 'inv' ? -1 : 1;
}

/** powerView(f).base, for a factor whose power is not 1 (or an mpow). */
function baseOf(f: Term): Term {
  if (f.kind === 'transpose') return T.transpose(baseOf(f.operand));
  if (f.kind === 'mpow') return f.operand.kind === 'inv' ? f.operand.operand : f.operand;
  return f.kind === 'inv' ? f.operand : f;
}

/** A chain factor as base and integer power: X⁻¹ → (X, −1), (X²)ᵀ → (Xᵀ, 2). */
export function powerView(f: Term): { base: Term; k: number } {
  if (f.kind === 'transpose') {
    const inner = powerView(f.operand);
    if (inner.k !== 1) return { base: T.transpose(inner.base), k: inner.k };
    return { base: f, k: 1 };
  }
  if (f.kind === 'mpow') {
    if (f.operand.kind === 'inv') return { base: f.operand.operand, k: -f.exponent };
    return { base: f.operand, k: f.exponent };
  }
  if (f.kind === 'inv') return { base: f.operand, k: -1 };
  return { base: f, k: 1 };
}

function plainPower(b: Term, k: number): Term {
  if (k === 0) return T.eye(b.shape[0]);
  if (k === 1) return b;
  if (k === -1) return T.inv(b);
  if (k >= 2) return T.mpow(b, k);
  return T.mpow(T.inv(b), -k);
}
