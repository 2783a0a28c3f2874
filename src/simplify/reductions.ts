import * as T from '../term/factory.js';
import { isScalar, type ReductionKind, type Term } from '../term/term.js';
import { compareTerms, compareWords } from './order.js';
import { SIMPLIFY_BUDGET } from './budget.js';
import { treeSize } from './measures.js';
import { powerView } from './chains.js';
import type { Simplifier } from './simplifier-types.js';

/**
 * Reductions and the operators between matrices and vectors: tr, det, logdet, sum, the entrywise
 * norms, ⟨A, B⟩, diag and Diag. Each pulls scalars out (so they meet the scalars of the sum around
 * it), sees through transposes and inverses, and writes what a textbook writes: tr(xyᵀ) as yᵀx,
 * ⟨a, b⟩ as aᵀb, sum(a ⊙ b) as aᵀb. Traces are cyclic, so a trace word is rotated to a canonical
 * rotation: tr((MZ)ᵏ) collects without any graph matching (ENGINE.md §4).
 */
export function reduce(s: Simplifier, kind: ReductionKind, x: Term): Term {
  // simp.reduce-scalar: on a 1×1 term tr, det and sum are the identity, logdet is log, a norm is |·|.
  if (isScalar(x)) {
    s.applied('simp.reduce-scalar');
    if (kind === 'logdet') return s.fn('log', x);
    if (kind === 'norm1' || kind === 'norm2') return s.fn('abs', x);
    return x;
  }
  // simp.reduce-zero
  if (x.kind === 'zero') return s.applied('simp.reduce-zero', undefined, T.num(0));
  if (kind === 'trace') return s.trace(x);
  // The local rules (rules/simplify.rules): det, logdet, sum and the norms of a transpose, of an
  // inverse, of I; sum(a ⊙ b) = aᵀb.
  const local = s.rewriteLocal(kind, x);
  if (local !== undefined) return local;
  switch (kind) {
    case 'det':
      // simp.det-power: det(Aᵏ) = det(A)ᵏ.
      if (x.kind === 'mpow') {
        s.applied('simp.det-power');
        return s.epow(s.reduce('det', powerView(x).base), T.num(powerView(x).k));
      }
      return T.reduce('det', x);
    case 'logdet':
      return T.reduce('logdet', x);
    case 'sum':
    case 'norm1':
    case 'norm2': {
      const p = s.parts(x);
      if ((p.coef !== 1 || p.scalars.length > 0) && p.chain.length > 0) {
        const rest = p.chain.length === 1 ? p.chain[0]! : T.mul(p.chain);
        // simp.sum-scale: sum(cA) = c·sum(A); simp.norm-scale: ‖cA‖ = |c|·‖A‖ for a number c.
        if (kind === 'sum') {
          s.applied('simp.sum-scale');
          return s.mul([T.num(p.coef), ...p.scalars, s.reduce('sum', rest)]);
        }
        if (p.scalars.length === 0) {
          s.applied('simp.norm-scale');
          return s.mul([T.num(Math.abs(p.coef)), s.reduce(kind, rest)]);
        }
      }
      // simp.sum-deviations: sum(x − mean(x)𝟙) = 0, as the variance's gradient needs (2(x − x̄𝟙)/n).
      if (kind === 'sum' && isDeviation(s, x)) return s.applied('simp.sum-deviations', () => T.reduce('sum', x), T.num(0));
      // simp.probability-sum: sum(p) = 1 for a probability vector: softmax(x), or y:probability.
      if (kind === 'sum' && isProbability(s, x)) return s.applied('simp.probability-sum', () => T.reduce('sum', x), T.num(1));
      // simp.sum-linear: sum(A + B) = sum(A) + sum(B), when strictly smaller (a term's sum vanishes:
      // the layer norm's sum(a/s − (aᵀc)c/(ns³)) is sum(a)/s, since sum(c) = 0 for deviations c).
      if (kind === 'sum' && x.kind === 'add') {
        const split = sumOfTerms(s, x);
        if (split !== undefined) return split;
      }
      // simp.fold-constant: sum(𝟙ₘₓₙ) = mn for numeric m, n.
      if (kind === 'sum' && x.kind === 'ones' && typeof x.shape[0] === 'number' && typeof x.shape[1] === 'number') {
        return s.applied('simp.fold-constant', undefined, T.num(x.shape[0] * x.shape[1]));
      }
      return T.reduce(kind, x);
    }
  }
}

/** The sums of a small sum's terms, added, when that is strictly smaller than the sum of the sum. */
function sumOfTerms(s: Simplifier, x: Extract<Term, { kind: 'add' }>): Term | undefined {
  if (x.terms.length > SIMPLIFY_BUDGET.distributeMaxTerms || treeSize(x) > SIMPLIFY_BUDGET.distributeMaxSize) return undefined;
  const mark = s.stepMark();
  const split = s.add(x.terms.map((t) => s.reduce('sum', t)), T.SCALAR);
  if (treeSize(split) < treeSize(x) + 1) return s.applied('simp.sum-linear', () => T.reduce('sum', x), split);
  s.dropStepsAfter(mark);
  return undefined;
}

/** x − mean(x)𝟙 (in either order), x a column vector: the deviations of x from its mean. */
function isDeviation(s: Simplifier, t: Term): boolean {
  if (t.kind !== 'add' || t.terms.length !== 2 || t.shape[1] !== 1) return false;
  const [a, b] = t.terms as [Term, Term];
  return isMinusMeanOf(s, b, a) || isMinusMeanOf(s, a, b);
}

/** Whether t is −mean(x)𝟙: coefficient −1, the scalar mean(x), and a ones vector (or nothing: broadcast). */
function isMinusMeanOf(s: Simplifier, t: Term, x: Term): boolean {
  const p = s.parts(t);
  if (p.coef !== -1 || p.scalars.length !== 1) return false;
  const mean = p.scalars[0]!;
  if (mean.kind !== 'op' || mean.op !== 'mean' || compareTerms(mean.args[0]!, x) !== 0) return false;
  return p.chain.every((c) => c.kind === 'ones');
}

/** Entries ≥ 0 summing to 1, by construction (softmax) or by assumption (--assume y:probability). */
export function isProbability(s: Simplifier, t: Term): boolean {
  if (t.kind === 'op') return t.op === 'softmax';
  return t.kind === 'var' && (s.context.probability?.has(t.name) ?? false);
}

export function trace(s: Simplifier, x: Term): Term {
  // The local rules first (rules/simplify.rules): tr(Aᵀ) = tr(A), tr(Diag(a)) = sum(a), tr(abᵀ) = bᵀa.
  const local = s.rewriteLocal('trace', x);
  if (local !== undefined) return local;
  // simp.fold-constant: tr(Iₙ) = n for a numeric n.
  if (x.kind === 'eye' && typeof x.shape[0] === 'number') return s.applied('simp.fold-constant', undefined, T.num(x.shape[0]));
  if (x.kind === 'mul') {
    const p = s.parts(x);
    // simp.trace-scale: tr(cA) = c·tr(A).
    if (p.coef !== 1 || p.scalars.length > 0) s.applied('simp.trace-scale');
    const outer: Term[] = [T.num(p.coef), ...p.scalars];
    const chain = p.chain;
    let core: Term;
    if (chain.length === 1) core = s.trace(chain[0]!);
    else {
      // simp.trace-cyclic: prefer a rotation whose product is a scalar, whose trace is itself
      // (simp.reduce-scalar: tr(ABxyᵀ) = yᵀABx), else the least rotation in the canonical order of its
      // factors (tr(CAB) → tr(ABC)).
      let best: Term[] | undefined;
      let bestAt = 0;
      let bestScalar = false;
      for (let r = 0; r < chain.length; r++) {
        const rotated = [...chain.slice(r), ...chain.slice(0, r)];
        const first = rotated[0]!;
        const last = rotated[rotated.length - 1]!;
        const scalar = first.shape[0] === 1 && last.shape[1] === 1;
        if (!best || (scalar && !bestScalar) || (scalar === bestScalar && compareWords(rotated, best) < 0)) {
          best = rotated;
          bestAt = r;
          bestScalar = scalar;
        }
      }
      if (bestAt !== 0) s.applied('simp.trace-cyclic');
      if (bestScalar) s.applied('simp.reduce-scalar');
      core = bestScalar ? s.mul(best!) : T.reduce('trace', T.mul(best!));
    }
    if (outer.length === 1 && p.coef === 1) return core;
    return s.mul([...outer, core]);
  }
  return T.reduce('trace', x);
}

export function inner(s: Simplifier, a: Term, b: Term): Term {
  // simp.inner-zero
  if (a.kind === 'zero' || b.kind === 'zero') return s.applied('simp.inner-zero', undefined, T.num(0));
  // The local rules (rules/simplify.rules): ⟨a, b⟩ = ab for scalars, ⟨𝟙, A⟩ = sum(A), ⟨I, A⟩ = tr(A).
  const local = s.rewriteLocal('inner', a, b);
  if (local !== undefined) return local;
  const pa = s.parts(a);
  const pb = s.parts(b);
  const ra = pa.chain.length === 1 ? pa.chain[0]! : T.mul(pa.chain);
  const rb = pb.chain.length === 1 ? pb.chain[0]! : T.mul(pb.chain);
  const outer = [T.num(pa.coef * pb.coef), ...pa.scalars, ...pb.scalars];
  // simp.inner-scale: ⟨cA, B⟩ = c⟨A, B⟩; the local rules again on what the scalars left.
  if (ra !== a || rb !== b) s.applied('simp.inner-scale');
  const core = ra !== a || rb !== b ? (s.rewriteLocal('inner', ra, rb) ?? innerOfMatrices(s, ra, rb)) : innerOfMatrices(s, ra, rb);
  if (outer.length === 1 && pa.coef * pb.coef === 1) return core;
  return s.mul([...outer, core]);
}

/** ⟨A, B⟩ of two matrices without scalar factors, to which no local rule applies. */
function innerOfMatrices(s: Simplifier, a: Term, b: Term): Term {
  // simp.inner-commute: the operands in canonical order.
  const [first, second] = compareTerms(a, b) <= 0 ? [a, b] : [b, a];
  if (first !== a) s.applied('simp.inner-commute');
  // simp.inner-vectors, simp.inner-rows: ⟨a, b⟩ = aᵀb for column vectors and abᵀ for row
  // vectors: a textbook writes the product.
  if (first.shape[1] === 1) {
    s.applied('simp.inner-vectors');
    return s.mul([s.transpose(first), second]);
  }
  if (first.shape[0] === 1) {
    s.applied('simp.inner-rows');
    return s.mul([first, s.transpose(second)]);
  }
  return T.inner(first, second);
}

export function diag(s: Simplifier, x: Term): Term {
  // simp.diag-scalar: diag of a 1×1 term is itself.
  if (isScalar(x)) return s.applied('simp.diag-scalar', undefined, x);
  // The local rules (rules/simplify.rules): diag(Diag(a)) = a, diag(I) = 𝟙, diag(Aᵀ) = diag(A).
  const local = s.rewriteLocal('diag', x);
  if (local !== undefined) return local;
  const p = s.parts(x);
  // simp.diag-outer: diag(abᵀ) = a ⊙ b for column vectors a, b; a chain of rank one splits where its
  // inner dimension is 1: diag(PuvᵀQ) = Pu ⊙ Qᵀv.
  const split = p.chain.findIndex((f, i) => i < p.chain.length - 1 && f.shape[1] === 1);
  if (split >= 0) {
    s.applied('simp.diag-outer');
    const outer = [T.num(p.coef), ...p.scalars];
    const left = s.mul(p.chain.slice(0, split + 1));
    const right = s.transpose(s.mul(p.chain.slice(split + 1)));
    return s.mul([...outer, s.hmul([left, right], left.shape)]);
  }
  if (p.chain.length === 1 && (p.coef !== 1 || p.scalars.length > 0)) {
    // simp.diag-scale
    s.applied('simp.diag-scale');
    return s.mul([T.num(p.coef), ...p.scalars, s.diag(p.chain[0]!)]);
  }
  return T.diag(x);
}

export function diagm(s: Simplifier, x: Term): Term {
  // simp.diag-scalar: Diag of a 1×1 term is itself.
  if (isScalar(x)) return s.applied('simp.diag-scalar', undefined, x);
  // The local rules (rules/simplify.rules): Diag(𝟙) = I.
  const local = s.rewriteLocal('diagm', x);
  if (local !== undefined) return local;
  const p = s.parts(x);
  if (p.chain.length >= 1 && (p.coef !== 1 || p.scalars.length > 0)) {
    // simp.diagm-scale: also out of a product's chain, Diag(−Y𝟙) = −Diag(Y𝟙) (a row-wise softmax's
    // pullback weights its rows by Diag(G𝟙), and an upstream −Y is common).
    s.applied('simp.diagm-scale');
    const chain = p.chain.length === 1 ? p.chain[0]! : s.mul(p.chain);
    return s.mul([T.num(p.coef), ...p.scalars, s.diagm(chain)]);
  }
  return T.diagm(x);
}
