import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';

/**
 * The gradient with respect to a symmetric variable's free entries (Matrix Cookbook, §2.8.2). The
 * sweep treats every entry of S as independent and gives G; on the symmetric matrices S_ij and S_ji
 * are one entry, so its derivative collects both.
 */

/** G + Gᵀ − I ⊙ G: ∂f/∂S_ij for i ≠ j moves S_ij and S_ji together, so both entries of G count. */
export function structuredGradient(g: Term): Term {
  return T.add([g, T.transpose(g), T.mul([T.num(-1), T.hmul([T.eye(g.shape[0]), g])])]);
}

/**
 * What the check compares for a structured gradient Gₛ: ⟨(Gₛ + I ⊙ Gₛ)/2, V⟩ = Σ_{i≤j} (Gₛ)ᵢⱼVᵢⱼ,
 * which for the symmetric directions V the checker uses is the derivative along the free entries.
 */
export function structuredCheckForm(structured: Term): Term {
  return T.mul([T.num(0.5), T.add([structured, T.diagm(T.diag(structured))])]);
}

/**
 * Each --wrt variable's gradient as shown: the structured one where `structured` says so (formed
 * from the raw gradient, then `tidy`'d: simplified and presented, all at once), else `presented`.
 */
export function structuredGradients(
  wrt: readonly string[],
  raws: readonly Term[],
  presented: readonly Term[],
  structured: (name: string) => boolean,
  tidy: (terms: readonly Term[]) => Term[],
): Term[] {
  const chosen = wrt.filter(structured);
  const shown = chosen.length > 0 ? tidy(chosen.map((name) => structuredGradient(raws[wrt.indexOf(name)]!))) : [];
  return wrt.map((name, i) => (structured(name) ? shown[chosen.indexOf(name)]! : presented[i]!));
}

/** diff|jac|hess of a symmetric variable: its entries are independent there. */
export const symmetricDerivativeNote = (name: string): string => `${name} is symmetric: the derivative treats its entries as independent (the unstructured convention)`;

/** The note that says which convention a symmetric variable's gradient follows. */
export function symmetricGradientNote(name: string, structured: boolean): string {
  return structured
    ? `${name} is symmetric: this is the structured gradient G + Gᵀ − I ⊙ G (G the unstructured one), the derivative with respect to the free entries ${name}ᵢⱼ, i ≤ j, each off-diagonal pair counted once (Matrix Cookbook, §2.8.2)`
    : `${name} is symmetric: this is the unstructured gradient (each entry independent); --structured gives G + Gᵀ − I ⊙ G, and on the symmetric subspace use (G + Gᵀ)/2`;
}
