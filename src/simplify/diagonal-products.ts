/**
 * Products with diagonal matrices, apart from the rest of products.ts: Diag(a)Diag(b) and Diag(a)v
 * read entry by entry, as separable Hessians and Jacobians print them.
 */
import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';
import type { Simplifier } from './simplifier-types.js';

/** A Diag(a) or Diag(a)⁻¹ factor as a and the power ±1 of its entries; undefined for any other factor. */
export function diagonalOf(f: Term): { entries: Term; k: 1 | -1 } | undefined {
  if (f.kind === 'diagm') return { entries: f.operand, k: 1 };
  if (f.kind === 'inv' && f.operand.kind === 'diagm') return { entries: f.operand.operand, k: -1 };
  return undefined;
}

/**
 * simp.diag-merge: Diag(a)Diag(b) = Diag(a ⊙ b), Diag(a)⁻¹Diag(b) = Diag(b ⊘ a) (and the other
 * orders): a product of diagonal matrices is one diagonal matrix, as the Hessians of separable sums
 * print it (∇² Σ aᵢ²/xᵢ = Diag(2a² ⊘ x³), not 2Diag(𝟙 ⊘ x³)Diag(a²)). Undefined unless both are diagonal.
 */
export function diagonalsMerged(s: Simplifier, left: Term, right: Term): Term | undefined {
  const a = diagonalOf(left);
  const b = diagonalOf(right);
  if (a === undefined || b === undefined) return undefined;
  const shape = a.entries.shape;
  const entries =
    a.k === 1 && b.k === 1
      ? s.hmul([a.entries, b.entries], shape)
      : a.k === 1
        ? s.hdiv(a.entries, b.entries)
        : b.k === 1
          ? s.hdiv(b.entries, a.entries)
          : s.hdiv(T.ones(shape), s.hmul([a.entries, b.entries], shape));
  return s.applied('simp.diag-merge', undefined, s.diagm(entries));
}

/**
 * simp.diag-times-vector: Diag(a)v = a ⊙ v, and Diag(a)⁻¹v = v ⊘ a (simp.diag-inverse-times-vector):
 * a diagonal matrix acts on a vector entry by entry. Undefined when d is no diagonal factor.
 */
export function diagonalTimesVector(s: Simplifier, d: Term, v: Term): Term | undefined {
  const diagonal = diagonalOf(d);
  if (diagonal === undefined) return undefined;
  if (diagonal.k === 1) return s.applied('simp.diag-times-vector', undefined, s.hmul([diagonal.entries, v], v.shape));
  return s.applied('simp.diag-inverse-times-vector', undefined, s.hdiv(v, diagonal.entries));
}
