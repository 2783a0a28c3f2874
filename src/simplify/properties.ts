import * as T from '../term/factory.js';
import { childrenOf, isScalar, opDeclaration, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import type { ByTerm } from './by-term.js';
import type { Simplifier } from './simplifier-types.js';

/**
 * Properties the rewrites depend on, computed bottom-up and memoised per node: whether a term is
 * entrywise positive (then |x| = x, sign(x) = 𝟙) and whether it equals its transpose (then Sᵀ = S).
 * They come from the user's assumptions (symmetric, spd, diagonal, positive) and from construction
 * (exp(x) > 0, AᵀA symmetric, Diag(a) symmetric). A property is only ever "known", never guessed:
 * false means "not known", and the term is then left as it is.
 */

/** Whether every entry of a term is known to be positive (assumed, or by construction). */
export function isPositive(s: Simplifier, t: Term): boolean {
  return bottomUp(t, s.positiveMemo, (node) => isPositiveNode(s, node));
}

/**
 * A memoised property computed children first over the DAG below `t`, iteratively: deep terms
 * (a 5,000-definition residual chain) must not recurse 5,000 frames deep.
 */
function bottomUp(t: Term, memo: ByTerm<boolean>, compute: (node: Term) => boolean): boolean {
  const hit = memo.get(t);
  if (hit !== undefined) return hit;
  // Most queries come bottom-up, with every child already known: then the walk below would visit
  // t alone, so compute it directly (the same calls in the same order, without the walk's setup).
  let ready = true;
  for (const c of childrenOf(t)) {
    if (!memo.has(c)) {
      ready = false;
      break;
    }
  }
  if (ready) {
    const value = compute(t);
    memo.set(t, value);
    return value;
  }
  for (const node of postOrder([t], (n) => !memo.has(n))) memo.set(node, compute(node));
  return memo.get(t)!;
}

function isPositiveNode(s: Simplifier, t: Term): boolean {
  switch (t.kind) {
    case 'var':
      return s.context.positive?.has(t.name) ?? false;
    case 'num':
      return t.value > 0;
    case 'ones':
      return true;
    case 'fn':
      return t.fn === 'exp' || t.fn === 'sigmoid' || t.fn === 'softplus' || t.fn === 'cosh' || ((t.fn === 'sqrt' || t.fn === 'abs') && s.isPositive(t.operand));
    case 'epow':
      return s.isPositive(t.base);
    case 'hmul':
      return t.factors.every((f) => s.isPositive(f));
    case 'hdiv':
      return s.isPositive(t.left) && s.isPositive(t.right);
    case 'transpose':
      return s.isPositive(t.operand);
    case 'add':
      return t.terms.every((f) => s.isPositive(f));
    case 'mul':
      // A positive scalar multiple of a positive term (a matrix product of positives is positive too).
      return t.factors.every((f) => s.isPositive(f));
    case 'zero':
    case 'eye':
    case 'inv':
    case 'mpow':
    case 'trace':
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
    case 'inner':
    case 'diag':
    case 'diagm':
      return false;
    case 'op':
      return opDeclaration(t.op).positive;
  }
}

/** Whether a term is known to equal its transpose. */
export function isSymmetric(s: Simplifier, t: Term): boolean {
  return bottomUp(t, s.symmetricMemo, (node) => isSymmetricNode(s, node));
}

function isSymmetricNode(s: Simplifier, t: Term): boolean {
  if (t.shape[0] !== t.shape[1]) return false;
  switch (t.kind) {
    case 'var':
      return s.context.symmetric.has(t.name);
    case 'eye':
    case 'diagm':
    case 'ones':
    case 'zero':
    case 'num':
      return true;
    case 'inv':
    case 'mpow':
    case 'fn':
      return s.isSymmetric(t.operand);
    case 'epow':
      return s.isSymmetric(t.base);
    case 'hmul':
      return t.factors.every((f) => s.isSymmetric(f));
    case 'add': {
      const members = new Set(t.terms);
      return t.terms.every((term) => s.isSymmetric(term) || members.has(s.transposeShallow(term)));
    }
    case 'mul': {
      const chain = t.factors.filter((f) => !isScalar(f));
      let result = true;
      for (let i = 0, j = chain.length - 1; i <= j; i++, j--) {
        const a = chain[i]!;
        const b = chain[j]!;
        if (i === j) result &&= s.isSymmetric(a);
        else result &&= s.transposeShallow(a) === b;
      }
      return result;
    }
    case 'hdiv':
    case 'transpose':
    case 'trace':
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
    case 'inner':
    case 'diag':
      return false;
    case 'op':
      // An op whose result is symmetric for symmetric arguments (term/ops.ts) says so.
      return opDeclaration(t.op).symmetric === 'always' || (opDeclaration(t.op).symmetric === true && t.args.every((a) => s.isSymmetric(a)));
  }
}

/** The canonical transpose of a term that is a leaf-level factor, without recursing into sums. */
export function transposeShallow(s: Simplifier, t: Term): Term {
  if (t.kind === 'transpose') return t.operand;
  if (t.kind === 'mul') {
    const reversed = [...t.factors].reverse().map((f) => (isScalar(f) ? f : s.transposeShallow(f)));
    return T.mul(reversed);
  }
  if (t.kind === 'var' && s.context.symmetric.has(t.name)) return t;
  if (t.kind === 'eye' || t.kind === 'diagm' || isScalar(t)) return t;
  return T.transpose(t);
}
