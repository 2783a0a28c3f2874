import * as T from '../term/factory.js';
import { childrenOf, isScalar, type Term, type TermOf } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { inverseFactor } from './python-solve.js';

/**
 * A sum of inverses applied to something, for the Python printers (numpy.ts): (A⁻¹ + A⁻ᵀ)b is
 * printed as solve(A, b) + solve(A.T, b), not as (inv(A) + inv(A).T) @ b. The gradient of bᵀA⁻¹b
 * is such a product, and its value bᵀA⁻¹b solves A⁻¹b already: distributed, the product A⁻¹b is a
 * word of both, which reuse-products.ts and the sharing plan then compute once. So the module makes
 * two solves (one shared with the value) where it made a solve and an explicit inverse: fewer
 * operations (an inverse costs about three LU factorisations' worth, a solve one), and no explicit
 * inverse, whose digits python-solve.ts explains are the point.
 *
 * Only a sum whose every term is an inverse or its transpose (times a number) is distributed, and
 * only when the product applies it to something (another matrix factor); a sum the user named keeps
 * its name. The result is an equal term: only the grouping changes.
 */
export interface InverseSumsApplied {
  readonly roots: Term[];
  /** Each node rebuilt, by the node it replaces (to carry the user's names over). */
  readonly replaced: ReadonlyMap<Term, Term>;
}

export function applyInverseSums(roots: readonly Term[], named: (t: Term) => boolean): InverseSumsApplied {
  const replaced = new Map<Term, Term>();
  for (const node of postOrder(roots)) {
    const kids = childrenOf(node);
    const now = kids.map((k) => replaced.get(k) ?? k);
    let t = now.every((k, i) => k === kids[i]) ? node : T.withChildren(node, now);
    if (t.kind === 'mul') t = distributed(t, named) ?? t;
    if (t !== node) replaced.set(node, t);
  }
  return { roots: roots.map((r) => replaced.get(r) ?? r), replaced };
}

/** A term of such a sum: A⁻¹ or A⁻ᵀ, alone or times a number; its factors, the number first. */
function inverseTerm(t: Term): readonly Term[] | undefined {
  if (inverseFactor(t) !== undefined) return [t];
  if (t.kind === 'mul' && t.factors.length === 2 && t.factors[0]!.kind === 'num' && inverseFactor(t.factors[1]!) !== undefined) return t.factors;
  return undefined;
}

/** The product with its first sum of inverses distributed over the other factors, if it has one. */
function distributed(product: TermOf<'mul'>, named: (t: Term) => boolean): Term | undefined {
  const i = product.factors.findIndex((f) => f.kind === 'add' && !isScalar(f) && !named(f) && f.terms.every((t) => inverseTerm(t) !== undefined));
  if (i < 0 || !product.factors.some((f, j) => j !== i && !isScalar(f))) return undefined;
  const sum = product.factors[i] as TermOf<'add'>;
  const before = product.factors.slice(0, i);
  const after = product.factors.slice(i + 1);
  return T.add(
    sum.terms.map((term) => {
      const [first, ...rest] = inverseTerm(term)!;
      // The number leads the product, as the simplifier writes it (2A⁻¹b, not A⁻¹·2·b).
      return rest.length === 0 ? T.mul([...before, first!, ...after]) : T.mul([first!, ...before, ...rest, ...after]);
    }),
  );
}
