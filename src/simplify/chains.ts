import * as T from '../term/factory.js';
import { isScalar, type Shape, type Term } from '../term/term.js';
import { SIMPLIFY_BUDGET } from './budget.js';
import { diagonalOf, diagonalsMerged, diagonalTimesVector } from './diagonal-products.js';
import { stochasticTimesOnes } from './ones-products.js';
import type { Simplifier } from './simplifier-types.js';

const B = SIMPLIFY_BUDGET;

/*
 * A product's matrix chain in normal form (products.ts builds the product around it): identities
 * dropped, runs of one base as powers (X X → X², X⁻¹X → I), repeated blocks as a power of their
 * product (ABAB → (AB)²), an inverse of a product cancelled against its end factor, Diag(a)v → a ⊙ v.
 * Separate from products.ts, which keeps the coefficient, the scalar monomial, inverses and powers.
 */

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
      // The power first, without building the view: most factors are no inverse.
      if (powerOf(out[i]!) !== -1) continue;
      const view = powerView(out[i]!);
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
