import * as T from '../term/factory.js';
import { childrenOf, isScalar, type Term } from '../term/term.js';
import type { ByTerm } from './by-term.js';
import { postOrder } from '../term/traverse.js';
import { transposeCount } from './measures.js';
import type { Simplifier } from './simplifier-types.js';

/**
 * The last touch for display: the normal form distributes transposes over sums so that like terms
 * meet (xᵀA/(xᵀx) and Ax/(xᵀx) collect), but a person writes (x − m)ᵀ, not xᵀ − mᵀ. This pass
 * folds a sum back under one transpose wherever that removes transposes (simp.transpose-sum, read
 * right to left), and writes a transpose outside an element-wise function (simp.transpose-elementwise).
 * It changes no value and is applied to results only, never inside the normal form.
 */
export function presentWith(s: Simplifier, roots: readonly Term[]): Term[] {
  // Memoised per simplifier, across calls: the pipeline presents each of a program's definitions,
  // and 5,000 definitions each walking the whole DAG below them was quadratic.
  const memo = s.presented;
  for (const node of postOrder(roots, (t) => !memo.has(t))) {
    let rebuilt = presentedChildren(node, memo);
    // Only a sum with ≥ 2 transposes can lose one (1 + after < before): the others skip building the flipped terms.
    if (rebuilt.kind === 'add' && !isScalar(rebuilt) && transposesIn(rebuilt.terms) >= 2) {
      const flipped = rebuilt.terms.map((t) => s.transpose(t));
      if (1 + transposesIn(flipped) < transposesIn(rebuilt.terms)) {
        rebuilt = T.transpose(s.add(flipped, [rebuilt.shape[1], rebuilt.shape[0]]));
      }
    }
    if (rebuilt.kind === 'mul') rebuilt = transposeOutOfPowers(s, rebuilt);
    // exp(x)ᵀ, not exp(xᵀ): the normal form moves transposes to the leaves, a person writes them outside.
    if (rebuilt.kind === 'fn' && rebuilt.operand.kind === 'transpose') rebuilt = T.transpose(T.fn(rebuilt.fn, rebuilt.operand.operand));
    memo.set(node, rebuilt);
  }
  return roots.map((r) => memo.get(r)!);
}

/** The node with its children presented; the node itself when they all present as themselves. */
function presentedChildren(node: Term, memo: ByTerm<Term>): Term {
  const children = childrenOf(node);
  for (let i = 0; i < children.length; i++) {
    if (memo.get(children[i]!) !== children[i]) return T.withChildren(node, children.map((c) => memo.get(c)!));
  }
  return node;
}

function transposesIn(terms: readonly Term[]): number {
  let n = 0;
  for (let i = 0; i < terms.length; i++) n += transposeCount(terms[i]!);
  return n;
}

/**
 * A product with a power of a product in it, written with one transpose outside when that has
 * fewer: 3(ZᵀMᵀ)²Zᵀ is 3(Z(MZ)²)ᵀ, as the Cookbook (§2.5) writes k(Aᵏ⁻¹)ᵀ (simp.transpose-power-of-product
 * and simp.transpose-product, read right to left). Other products keep their transposes on the
 * leaves (AᵀBᵀ, as the Cookbook writes it).
 */
function transposeOutOfPowers(s: Simplifier, product: Extract<Term, { kind: 'mul' }>): Term {
  const chain = product.factors.filter((f) => !isScalar(f));
  if (chain.length === 0 || !chain.some((f) => f.kind === 'mpow' && f.operand.kind === 'mul')) return product;
  const chainTerm = chain.length === 1 ? chain[0]! : T.mul(chain);
  const flipped = s.transpose(chainTerm);
  if (1 + transposeCount(flipped) >= transposeCount(chainTerm)) return product;
  return T.mul([...product.factors.filter((f) => isScalar(f)), T.transpose(flipped)]);
}
