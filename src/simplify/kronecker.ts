import * as T from '../term/factory.js';
import { sameShape } from '../term/factory.js';
import type { OpName, Term } from '../term/term.js';
import type { Simplifier } from './simplifier-types.js';

/**
 * The Kronecker and vec identities that need a shape test the rule matcher cannot state (the local
 * ones — (A ⊗ B)ᵀ, tr(A ⊗ B), the contractions of a Kronecker product — are in rules/simplify.rules):
 *   simp.kron-vec      (P ⊗ Q)vec(X) = vec(QXPᵀ)      for X of Q's columns × P's columns
 *   simp.kron-mixed-product  (A ⊗ B)(C ⊗ D) = AC ⊗ BD  when AC and BD are products
 *   simp.vec-inner     vec(X)ᵀvec(Y) = ⟨X, Y⟩          for X and Y of one shape
 *   simp.unvec-vec     unvec(Σ cᵢvec(Yᵢ), W) = Σ cᵢYᵢ  for Yᵢ of W's shape
 *   simp.kron-contract-scalar   kron_contract_left(cG, B) = c·kron_contract_left(G, B), and right
 *   simp.kron-contract-identity, simp.kron-contract-ones: the contractions of I (by a square B) and of 𝟙𝟙ᵀ
 * Each makes the term smaller or moves a scalar out (so the local rules see the Kronecker product
 * itself) and removes a vec or a Kronecker product, so none undoes another.
 */

/** A chain with its first Kronecker-times-vec or vec-inner-product pair rewritten, or undefined. */
export function kroneckerChain(s: Simplifier, chain: readonly Term[]): Term[] | undefined {
  for (let i = 0; i + 1 < chain.length; i++) {
    const f = chain[i]!;
    const g = chain[i + 1]!;
    if (isKron(f) && isKron(g)) {
      const [a, b] = f.args as [Term, Term];
      const [c, d] = g.args as [Term, Term];
      if (a.shape[1] !== c.shape[0] || b.shape[1] !== d.shape[0]) continue;
      s.applied('simp.kron-mixed-product');
      return [...chain.slice(0, i), s.op('kron', [s.mul([a, c]), s.mul([b, d])]), ...chain.slice(i + 2)];
    }
    const x = vecOperand(g);
    if (x === undefined) continue;
    if (isKron(f)) {
      const [p, q] = f.args as [Term, Term];
      if (x.shape[0] !== q.shape[1] || x.shape[1] !== p.shape[1]) continue;
      const product = s.mul([q, x, s.transpose(p)]);
      s.applied('simp.kron-vec');
      return [...chain.slice(0, i), s.op('vec', [product]), ...chain.slice(i + 2)];
    }
    const y = f.kind === 'transpose' ? vecOperand(f.operand) : undefined;
    if (y !== undefined && sameShape(x.shape, y.shape)) {
      s.applied('simp.vec-inner');
      return [...chain.slice(0, i), s.inner(y, x), ...chain.slice(i + 2)];
    }
  }
  return undefined;
}

/** An op with simplified arguments rewritten by an identity of this module, or undefined. */
export function kroneckerOp(s: Simplifier, name: OpName, args: readonly Term[]): Term | undefined {
  if (name === 'kron_contract_left' || name === 'kron_contract_right') {
    const [g, factor] = args as [Term, Term];
    const shape = T.op(name, args).shape;
    // simp.kron-contract-identity: the blocks of I are δᵢⱼI, so each entry is δᵢⱼ tr(B) (B square).
    if (g.kind === 'eye' && factor.shape[0] === factor.shape[1] && shape[0] === shape[1]) {
      return s.applied('simp.kron-contract-identity', undefined, s.mul([s.trace(factor), T.eye(shape[0])]));
    }
    // simp.kron-contract-ones: every block of 𝟙𝟙ᵀ is 𝟙𝟙ᵀ, so each entry is sum(B).
    if (g.kind === 'ones') return s.applied('simp.kron-contract-ones', undefined, s.mul([s.reduce('sum', factor), T.ones(shape)]));
    const { coef, scalars, chain } = s.parts(g);
    if (coef === 1 && scalars.length === 0) return undefined;
    s.applied('simp.kron-contract-scalar');
    return s.mul([T.num(coef), ...scalars, s.op(name, [chain.length === 0 ? T.num(1) : s.mul(chain), factor])]);
  }
  if (name !== 'unvec') return undefined;
  const [g, w] = args as [Term, Term];
  const terms = g.kind === 'add' ? g.terms : [g];
  const matrices: Term[] = [];
  for (const t of terms) {
    const { coef, scalars, chain } = s.parts(t);
    const y = chain.length === 1 ? vecOperand(chain[0]!) : undefined;
    if (y === undefined || !sameShape(y.shape, w.shape)) return undefined;
    matrices.push(s.mul([T.num(coef), ...scalars, y]));
  }
  return s.applied('simp.unvec-vec', undefined, matrices.length === 1 ? matrices[0]! : s.add(matrices, w.shape));
}

function isKron(t: Term): t is Extract<Term, { kind: 'op' }> {
  return t.kind === 'op' && t.op === 'kron';
}

function vecOperand(t: Term): Term | undefined {
  return t.kind === 'op' && t.op === 'vec' ? t.args[0] : undefined;
}
