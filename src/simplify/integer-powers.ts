import * as T from '../term/factory.js';
import type { OpName, Term } from '../term/term.js';
import type { Simplifier } from './simplifier-types.js';

/**
 * Xⁿ with a symbolic integer n (the op matpow) and its gradient's sum powsum(X, n, G) = Σₖ (Xᵀ)ᵏG(Xᵀ)ⁿ⁻¹⁻ᵏ.
 * The local rule matcher binds one or two operands, and powsum has three, so these identities
 * (stated in rules/simplify.rules, checked there) are applied here:
 *   simp.matpow-constant    X^k of a number k ≥ 0 is the constant power Xᵏ (X⁰ = I, X¹ = X)
 *   simp.matpow-transpose   (Xᵀ)ⁿ = (Xⁿ)ᵀ, so a transpose stays outside, as for Aᵏ
 *   simp.powsum-identity    powsum(X, n, I) = n(Xⁿ⁻¹)ᵀ: I commutes with X (∇ tr Xⁿ, Cookbook (91))
 *   simp.powsum-zero        powsum(X, n, 0) = 0: linear in G
 *   simp.powsum-scalar      powsum(X, n, cG) = c·powsum(X, n, G) for a 1×1 c: linear in G
 * Each removes a transpose from under the power or a powsum, so none undoes another.
 */
export function integerPowerOp(s: Simplifier, name: OpName, args: readonly Term[]): Term | undefined {
  if (name === 'matpow') {
    const [x, n] = args as [Term, Term];
    if (n.kind === 'num' && Number.isInteger(n.value) && n.value >= 0) {
      const k = n.value;
      return s.applied('simp.matpow-constant', undefined, k === 0 ? T.eye(x.shape[0]) : k === 1 ? x : s.mpow(x, k));
    }
    if (x.kind === 'transpose') return s.applied('simp.matpow-transpose', undefined, s.transpose(s.op('matpow', [x.operand, n])));
    return undefined;
  }
  if (name === 'powsum') {
    const [x, n, g] = args as [Term, Term, Term];
    if (g.kind === 'zero') return s.applied('simp.powsum-zero', undefined, g);
    if (g.kind === 'eye') {
      const lower = s.add([n, T.num(-1)], [1, 1]);
      return s.applied('simp.powsum-identity', undefined, s.mul([n, s.transpose(s.op('matpow', [x, lower]))]));
    }
    const { coef, scalars, chain } = s.parts(g);
    if (coef === 1 && scalars.length === 0) return undefined;
    s.applied('simp.powsum-scalar');
    return s.mul([T.num(coef), ...scalars, s.op('powsum', [x, n, chain.length === 0 ? T.num(1) : s.mul(chain)])]);
  }
  return undefined;
}
