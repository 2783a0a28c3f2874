import * as T from '../term/factory.js';
import { isScalar, type ReductionKind, type Term } from '../term/term.js';
import { compareTerms, compareWords } from './order.js';
import { powerView } from './products.js';
import type { Simplifier } from './simplifier.js';

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
    if (kind === 'logdet') return s.fn('log', x);
    if (kind === 'norm1' || kind === 'norm2') return s.fn('abs', x);
    return x;
  }
  // simp.reduce-zero
  if (x.kind === 'zero') return T.num(0);
  switch (kind) {
    case 'trace':
      return s.trace(x);
    case 'det':
      // simp.det-transpose, simp.det-inverse, simp.det-power, simp.det-identity
      if (x.kind === 'transpose') return s.reduce('det', x.operand);
      if (x.kind === 'inv') return s.epow(s.reduce('det', x.operand), T.num(-1));
      if (x.kind === 'mpow') return s.epow(s.reduce('det', powerView(x).base), T.num(powerView(x).k));
      if (x.kind === 'eye') return T.num(1);
      return T.reduce('det', x);
    case 'logdet':
      // simp.logdet-transpose, simp.logdet-inverse, simp.logdet-identity
      if (x.kind === 'transpose') return s.reduce('logdet', x.operand);
      if (x.kind === 'inv') return s.scale(-1, s.reduce('logdet', x.operand));
      if (x.kind === 'eye') return T.num(0);
      return T.reduce('logdet', x);
    case 'sum':
    case 'norm1':
    case 'norm2': {
      // simp.sum-transpose: sum and the entrywise norms ignore a transpose.
      if (x.kind === 'transpose') return s.reduce(kind, x.operand);
      const p = s.parts(x);
      if ((p.coef !== 1 || p.scalars.length > 0) && p.chain.length > 0) {
        const rest = p.chain.length === 1 ? p.chain[0]! : T.mul(p.chain);
        // simp.sum-scale: sum(cA) = c·sum(A); simp.norm-scale: ‖cA‖ = |c|·‖A‖ for a number c.
        if (kind === 'sum') return s.mul([T.num(p.coef), ...p.scalars, s.reduce('sum', rest)]);
        if (p.scalars.length === 0) return s.mul([T.num(Math.abs(p.coef)), s.reduce(kind, rest)]);
      }
      // simp.sum-hadamard
      if (kind === 'sum' && x.kind === 'hmul' && x.factors.length === 2 && x.shape[1] === 1) {
        return s.mul([s.transpose(x.factors[0]!), x.factors[1]!]);
      }
      // simp.fold-constant: sum(𝟙ₘₓₙ) = mn for numeric m, n.
      if (kind === 'sum' && x.kind === 'ones' && typeof x.shape[0] === 'number' && typeof x.shape[1] === 'number') {
        return T.num(x.shape[0] * x.shape[1]);
      }
      return T.reduce(kind, x);
    }
  }
}

export function trace(s: Simplifier, x: Term): Term {
  // simp.trace-transpose, simp.fold-constant (tr(Iₙ) = n for a numeric n), simp.trace-diag (tr(Diag(a)) = sum(a))
  if (x.kind === 'transpose') return s.trace(x.operand);
  if (x.kind === 'eye' && typeof x.shape[0] === 'number') return T.num(x.shape[0]);
  if (x.kind === 'diagm') return s.reduce('sum', x.operand);
  if (x.kind === 'mul') {
    const p = s.parts(x);
    // simp.trace-scale: tr(cA) = c·tr(A).
    const outer: Term[] = [T.num(p.coef), ...p.scalars];
    const chain = p.chain;
    let core: Term;
    if (chain.length === 1) core = s.trace(chain[0]!);
    else {
      // simp.trace-cyclic: prefer a rotation whose product is a scalar (simp.trace-outer:
      // tr(xyᵀ) = yᵀx), else the least rotation in the canonical order of its factors (tr(CAB) → tr(ABC)).
      let best: Term[] | undefined;
      let bestScalar = false;
      for (let r = 0; r < chain.length; r++) {
        const rotated = [...chain.slice(r), ...chain.slice(0, r)];
        const first = rotated[0]!;
        const last = rotated[rotated.length - 1]!;
        const scalar = first.shape[0] === 1 && last.shape[1] === 1;
        if (!best || (scalar && !bestScalar) || (scalar === bestScalar && compareWords(rotated, best) < 0)) {
          best = rotated;
          bestScalar = scalar;
        }
      }
      core = bestScalar ? s.mul(best!) : T.reduce('trace', T.mul(best!));
    }
    if (outer.length === 1 && p.coef === 1) return core;
    return s.mul([...outer, core]);
  }
  return T.reduce('trace', x);
}

export function inner(s: Simplifier, a: Term, b: Term): Term {
  // simp.inner-zero, simp.inner-scalar (⟨a, b⟩ = ab for scalars), simp.inner-scale (⟨cA, B⟩ = c⟨A, B⟩)
  if (a.kind === 'zero' || b.kind === 'zero') return T.num(0);
  if (isScalar(a)) return s.mul([a, b]);
  const pa = s.parts(a);
  const pb = s.parts(b);
  const ra = pa.chain.length === 1 ? pa.chain[0]! : T.mul(pa.chain);
  const rb = pb.chain.length === 1 ? pb.chain[0]! : T.mul(pb.chain);
  const outer = [T.num(pa.coef * pb.coef), ...pa.scalars, ...pb.scalars];
  let core: Term;
  // simp.inner-ones, simp.inner-identity
  if (ra.kind === 'ones') core = s.reduce('sum', rb);
  else if (rb.kind === 'ones') core = s.reduce('sum', ra);
  else if (ra.kind === 'eye') core = s.trace(rb);
  else if (rb.kind === 'eye') core = s.trace(ra);
  else {
    // simp.inner-commute: the operands in canonical order.
    const [first, second] = compareTerms(ra, rb) <= 0 ? [ra, rb] : [rb, ra];
    // simp.inner-vectors, simp.inner-rows: ⟨a, b⟩ = aᵀb for column vectors and abᵀ for row
    // vectors: a textbook writes the product.
    if (first.shape[1] === 1) core = s.mul([s.transpose(first), second]);
    else if (first.shape[0] === 1) core = s.mul([first, s.transpose(second)]);
    else core = T.inner(first, second);
  }
  if (outer.length === 1 && pa.coef * pb.coef === 1) return core;
  return s.mul([...outer, core]);
}

export function diag(s: Simplifier, x: Term): Term {
  // simp.diag-scalar, simp.diag-of-diag, simp.diag-identity (diag(I) = 𝟙), simp.diag-transpose
  if (isScalar(x)) return x;
  if (x.kind === 'diagm') return x.operand;
  if (x.kind === 'eye') return T.ones([x.shape[0], 1]);
  if (x.kind === 'transpose') return s.diag(x.operand);
  const p = s.parts(x);
  // simp.diag-outer: diag(abᵀ) = a ⊙ b for column vectors a, b.
  if (p.chain.length === 2 && p.chain[0]!.shape[1] === 1 && p.chain[1]!.shape[0] === 1) {
    const outer = [T.num(p.coef), ...p.scalars];
    return s.mul([...outer, s.hmul([p.chain[0]!, s.transpose(p.chain[1]!)], p.chain[0]!.shape)]);
  }
  if (p.chain.length === 1 && (p.coef !== 1 || p.scalars.length > 0)) {
    // simp.diag-scale
    return s.mul([T.num(p.coef), ...p.scalars, s.diag(p.chain[0]!)]);
  }
  return T.diag(x);
}

export function diagm(s: Simplifier, x: Term): Term {
  // simp.diag-scalar, simp.diagm-ones (Diag(𝟙) = I)
  if (isScalar(x)) return x;
  if (x.kind === 'ones') return T.eye(x.shape[0]);
  const p = s.parts(x);
  if (p.chain.length === 1 && (p.coef !== 1 || p.scalars.length > 0)) {
    // simp.diagm-scale
    return s.mul([T.num(p.coef), ...p.scalars, s.diagm(p.chain[0]!)]);
  }
  return T.diagm(x);
}
