import * as T from '../term/factory.js';
import { isScalar, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { SIMPLIFY_BUDGET } from './budget.js';
import { transposeCount } from './measures.js';
import { height } from './order.js';
import type { Simplifier } from './simplifier-types.js';

/**
 * Where transposes stand. They are pushed through products to the leaves ((AB)ᵀ = BᵀAᵀ), dropped
 * on scalars and on symmetric terms, distributed over sums (so that like terms meet: (xᵀA)ᵀ + Aᵀx
 * collects to 2Aᵀx), and moved into or out of an element-wise node whichever has fewer transposes
 * (exp(xᵀ)ᵀ = exp(x), but exp(Xb)ᵀ stays rather than exp(bᵀXᵀ)). Those two directions together make
 * the form unique; the counts that decide them are computed without building the transposes.
 */

/**
 * Transposes are memoised: they recurse into products and sums, and a DAG shares those. A transpose
 * built inside a search (distributing a sum, tryDistribute, pullOutTranspose) is built under that
 * search's limits, so it is memoised apart, per search state (Simplifier.searchState): a memo entry
 * must not depend on which caller came first, or a request's output would depend on what the
 * process simplified before (the memo lives as long as the process).
 */
export function transpose(s: Simplifier, x: Term): Term {
  // The memo first: it never holds a node that a local rule rewrites (those return below before
  // anything is memoised, and the rules depend on the node only), so a hit skips the rule lookup.
  const state = s.searchState();
  const memo = state === 0 ? undefined : s.memoInState(s.transposedInSearch, state);
  const hit = memo === undefined ? s.transposed.get(x) : memo.get(x);
  if (hit !== undefined) return hit;
  // The local rules first (rules/simplify.rules): a scalar's transpose, (Aᵀ)ᵀ = A, Iᵀ = I, Diag(a)ᵀ = Diag(a).
  const local = s.rewriteLocal('transpose', x);
  if (local !== undefined) return local;
  if (memo !== undefined) {
    const result = transposeUncached(s, x);
    memo.set(x, result);
    return result;
  }
  if (!s.search.warmingTransposes && height(x) > SIMPLIFY_BUDGET.deepTerm) warmTransposes(s, x);
  const result = transposeUncached(s, x);
  s.transposed.set(x, result);
  return result;
}

/**
 * Transposing a deep term (a 5,000-definition residual chain) would recurse once per level: the
 * transposes below it are built first, children first, so that each then finds its operands'
 * already made. Only when a deep transpose is asked for: building every node's transpose up front
 * cost a tower Yₖ₊₁ = Yₖ ⊙ Yₖ + Yₖ a 64-term sum per level that nothing used. Transposes are a
 * pure function of the term (the memo above), so when they are built changes no result.
 */
function warmTransposes(s: Simplifier, x: Term): void {
  s.search.warmingTransposes = true;
  try {
    const below = postOrder([x], (n) => n === x || (!isScalar(n) && s.transposed.get(n) === undefined));
    for (const node of below) if (node !== x) s.transpose(node);
  } finally {
    s.search.warmingTransposes = false;
  }
}

function transposeUncached(s: Simplifier, x: Term): Term {
  switch (x.kind) {
    case 'zero':
      // simp.transpose-constant: 0ᵀ = 0, 𝟙ᵀ = 𝟙 (of the transposed shape).
      s.applied('simp.transpose-constant');
      return T.zero([x.shape[1], x.shape[0]]);
    case 'ones':
      s.applied('simp.transpose-constant');
      return T.ones([x.shape[1], x.shape[0]]);
    case 'mul': {
      // simp.transpose-product
      s.applied('simp.transpose-product');
      const reversed: Term[] = [];
      for (let i = x.factors.length - 1; i >= 0; i--) {
        const f = x.factors[i]!;
        reversed.push(isScalar(f) ? f : s.transpose(f));
      }
      return s.mul(reversed);
    }
    case 'mpow':
      // simp.transpose-power-of-product: ((AB)ᵏ)ᵀ = (BᵀAᵀ)ᵏ, through to the leaves as for a product,
      // so that a power of a product meets the same factors written out (chains.ts, repeats).
      if (x.exponent > 0 && x.operand.kind === 'mul' && !s.isSymmetric(x)) {
        s.applied('simp.transpose-power-of-product');
        return s.mpow(s.transpose(x.operand), x.exponent);
      }
      return s.isSymmetric(x) ? s.applied('simp.transpose-symmetric', undefined, x) : T.transpose(x);
    case 'add':
      // simp.transpose-sum: distributed, so that like terms meet: (xᵀA)ᵀ + Aᵀx collects to 2Aᵀx.
      if (s.isSymmetric(x)) return s.applied('simp.transpose-symmetric', undefined, x);
      s.applied('simp.transpose-sum');
      return s.add(
        x.terms.map((t) => s.transpose(t)),
        [x.shape[1], x.shape[0]],
      );
    case 'fn':
    case 'hmul':
    case 'hdiv':
    case 'epow': {
      // simp.transpose-elementwise: element-wise operations commute with transposition. Move the
      // transpose inside when that does not add transposes (exp(xᵀ)ᵀ = exp(x), but exp(Xb)ᵀ stays
      // rather than exp(bᵀXᵀ)).
      if (s.isSymmetric(x)) return s.applied('simp.transpose-symmetric', undefined, x);
      const operands = x.kind === 'fn' ? [x.operand] : x.kind === 'hmul' ? x.factors : x.kind === 'hdiv' ? [x.left, x.right] : [x.base];
      const before = operands.reduce((n, o) => n + transposeCount(o), 0);
      // Decide from counts first (O(1) per node, memoised): building the transposed operands of a
      // large adjoint only to throw them away would make the simplifier quadratic.
      const after = operands.reduce((n, o) => n + s.transposedCount(o), 0);
      if (after > before + 1) return T.transpose(x);
      s.applied('simp.transpose-elementwise');
      // The operands in normal form, also under pullOutTranspose (which only keeps the node it
      // transposes from being pulled out again): their transposes come from the plain memo.
      const pulling = s.search.pulling;
      s.search.pulling = false;
      let flipped: Term[];
      try {
        flipped = operands.map((o) => s.transpose(o));
      } finally {
        s.search.pulling = pulling;
      }
      if (x.kind === 'fn') return s.fn(x.fn, flipped[0]!);
      if (x.kind === 'hmul') return s.hmul(flipped, [x.shape[1], x.shape[0]]);
      if (x.kind === 'hdiv') return s.hdiv(flipped[0]!, flipped[1]!);
      return s.epow(flipped[0]!, x.exponent);
    }
    case 'var':
    case 'num':
    case 'eye':
    case 'transpose':
    case 'inv':
    case 'trace':
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
    case 'inner':
    case 'diag':
    case 'diagm':
    case 'op':
      // simp.transpose-symmetric: Sᵀ = S for a term known symmetric (properties.ts). (A transpose,
      // I and Diag(a) are the local rules' (transpose() asks them first).)
      if (!s.isSymmetric(x)) return T.transpose(x);
      return s.applied('simp.transpose-symmetric', undefined, x);
  }
}

/**
 * How many transposes the canonical transpose of t would have, without building it (an estimate
 * that follows transpose(): through products and sums, into element-wise nodes when that does not
 * add transposes). Memoised, so O(1) per node.
 */
export function transposedCount(s: Simplifier, t: Term): number {
  const hit = s.transposedCounts.get(t);
  if (hit !== undefined) return hit;
  let n: number;
  if (isScalar(t) || s.isSymmetric(t)) n = transposeCount(t);
  else {
    switch (t.kind) {
      case 'transpose':
        n = transposeCount(t.operand);
        break;
      case 'eye':
      case 'diagm':
      case 'zero':
      case 'ones':
        n = transposeCount(t);
        break;
      case 'mul':
        n = t.factors.reduce((m, f) => m + (isScalar(f) ? transposeCount(f) : s.transposedCount(f)), 0);
        break;
      case 'mpow':
        n = t.exponent > 0 && t.operand.kind === 'mul' ? s.transposedCount(t.operand) : 1 + transposeCount(t);
        break;
      case 'add':
        n = t.terms.reduce((m, f) => m + s.transposedCount(f), 0);
        break;
      case 'fn':
      case 'hmul':
      case 'hdiv':
      case 'epow': {
        const operands = t.kind === 'fn' ? [t.operand] : t.kind === 'hmul' ? t.factors : t.kind === 'hdiv' ? [t.left, t.right] : [t.base];
        const before = operands.reduce((m, o) => m + transposeCount(o), 0);
        const after = operands.reduce((m, o) => m + s.transposedCount(o), 0);
        n = after > before + 1 ? 1 + transposeCount(t) : after + (t.kind === 'epow' ? transposeCount(t.exponent) : 0);
        break;
      }
      case 'var':
      case 'num':
      case 'inv':
      case 'trace':
      case 'det':
      case 'logdet':
      case 'sum':
      case 'norm1':
      case 'norm2':
      case 'inner':
      case 'diag':
      case 'op':
        n = 1 + transposeCount(t);
    }
  }
  s.transposedCounts.set(t, n);
  return n;
}

/**
 * An element-wise result over transposed operands is written as one transpose of the result over
 * plain ones when that has fewer transposes (simp.transpose-elementwise, read right to left):
 * xᵀ ⊘ σ(xᵀ) → (x ⊘ σ(x))ᵀ. Together with the rule in transpose() (move inside unless that adds
 * transposes) this makes the form unique.
 */
export function pullOutTranspose(s: Simplifier, core: Term): Term {
  if (s.search.pulling || transposeCount(core) < 2 || core.kind === 'transpose') return core;
  if (1 + s.transposedCount(core) >= transposeCount(core)) return core;
  s.search.pulling = true;
  const mark = s.stepMark();
  try {
    const inner = s.transpose(core);
    // Only an element-wise node may stand under the transpose (a sum under it is not canonical).
    if (['fn', 'hmul', 'hdiv', 'epow'].includes(inner.kind) && 1 + transposeCount(inner) < transposeCount(core)) {
      return s.applied('simp.transpose-elementwise', undefined, T.transpose(inner));
    }
    s.dropStepsAfter(mark);
    return core;
  } finally {
    s.search.pulling = false;
  }
}
