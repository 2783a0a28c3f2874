import * as T from '../term/factory.js';
import { childrenOf, isScalar, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { chainFlops, chainOrder, leftToRight } from './chain-order.js';

/**
 * Reusing computed products inside longer ones, for the code printers (numpy.ts, torch.ts) and the
 * flop counts (flops.ts).
 *
 * Why: the simplifier keeps products as flat words (that is how it collects and factors them), so a
 * product that contains another product of the same DAG as a contiguous sub-word recomputes it. The
 * gradient of logdet(X + inv(X + inv(⋯))) is a sum of nested palindromes T₁T₂T₃T₂T₁, T₂T₃T₂, T₃ …;
 * evaluated word by word it costs O(L²) matrix products, while T₁(T₂T₃T₂)T₁ reuses the inner word
 * and costs O(L). Likewise the chain gradient 2W₁ᵀ⋯W_LᵀW_L⋯W₁X contains the product W_L⋯W₁X that
 * the function value already computed. Here each product's chain (its non-scalar factors) is covered
 * left to right by the longest proper sub-words that are the chain of another product in the DAG;
 * those become one factor, a node of their own, which the sharing plan then computes once. A
 * product with scalar factors (−T₂T₃T₂) whose chain is reused elsewhere is split into the scalars
 * and the chain, so that both share it.
 *
 * A reuse is taken only when it makes the product no more expensive to evaluate than before, with
 * the sub-word counted as free (it is computed anyway), under the emitted order (chain-order.ts);
 * symbolic sizes are taken as SYMBOLIC_SIZE for this comparison. The result is an equal term (the
 * same value): only the grouping changes. The textbook printers do not use this: they print the
 * words as the simplifier made them.
 */
export const SYMBOLIC_SIZE = 1000;

function chainOf(term: Term): Term[] {
  return term.kind === 'mul' ? term.factors.filter((f) => !isScalar(f)) : [];
}

function key(chain: readonly Term[]): string {
  return chain.map((t) => t.id).join(',');
}

function emittedCost(shapes: readonly (readonly [number | string, number | string])[]): number {
  const numeric = shapes.map(([r, c]) => [typeof r === 'number' ? r : SYMBOLIC_SIZE, typeof c === 'number' ? c : SYMBOLIC_SIZE] as const);
  if (shapes.length < 2) return 0;
  return chainFlops(numeric, chainOrder(shapes) ?? leftToRight(shapes.length));
}

export interface Reused {
  readonly roots: Term[];
  /** Each original node to the node that replaces it (only for nodes that changed). */
  readonly replaced: ReadonlyMap<Term, Term>;
}

export function reuseSubproducts(roots: readonly Term[]): Reused {
  const order = postOrder(roots);
  // Candidate words, by their first factor, longest first.
  const candidates = new Map<Term, Term[][]>();
  const seen = new Set<string>();
  for (const node of order) {
    const chain = chainOf(node);
    if (chain.length < 2) continue;
    const k = key(chain);
    if (seen.has(k)) continue;
    seen.add(k);
    const list = candidates.get(chain[0]!) ?? [];
    list.push(chain);
    candidates.set(chain[0]!, list);
  }
  if (seen.size < 2) return { roots: [...roots], replaced: new Map() };
  for (const list of candidates.values()) list.sort((a, b) => b.length - a.length);

  const covers = new Map<string, Term[][]>();
  /** The chain as segments: single factors, and proper sub-words that are words of the DAG. */
  const cover = (chain: readonly Term[]): Term[][] => {
    const k = key(chain);
    const memo = covers.get(k);
    if (memo !== undefined) return memo;
    const segments: Term[][] = [];
    let i = 0;
    while (i < chain.length) {
      let match: Term[] | undefined;
      for (const word of candidates.get(chain[i]!) ?? []) {
        if (word.length >= chain.length || word.length > chain.length - i) continue;
        let same = true;
        for (let j = 1; j < word.length && same; j++) same = word[j] === chain[i + j];
        if (same) {
          match = word;
          break;
        }
      }
      if (match !== undefined) {
        segments.push(match);
        i += match.length;
      } else {
        segments.push([chain[i]!]);
        i++;
      }
    }
    let result = segments;
    if (segments.length < chain.length) {
      const before = emittedCost(chain.map((f) => f.shape));
      const after = emittedCost(segments.map((s) => T.productShape(s)));
      if (after > before) result = chain.map((f) => [f]);
    }
    covers.set(k, result);
    return result;
  };

  // The words reused somewhere (recursively: a reused word is itself covered).
  const used = new Set<string>();
  const collect = (chain: readonly Term[]): void => {
    for (const segment of cover(chain)) {
      if (segment.length < 2) continue;
      const k = key(segment);
      if (used.has(k)) continue;
      used.add(k);
      collect(segment);
    }
  };
  for (const node of order) {
    const chain = chainOf(node);
    if (chain.length >= 3) collect(chain);
  }
  if (used.size === 0) return { roots: [...roots], replaced: new Map() };

  const mapped = new Map<Term, Term>();
  const map = (t: Term): Term => mapped.get(t) ?? t;
  const pure = new Map<string, Term>();
  /** The product of a word, with its own reused sub-words as factors. */
  const pureNode = (chain: readonly Term[]): Term => {
    const k = key(chain);
    let node = pure.get(k);
    if (node === undefined) {
      node = T.mul(cover(chain).map((s) => (s.length === 1 ? map(s[0]!) : pureNode(s))));
      pure.set(k, node);
    }
    return node;
  };

  for (const node of order) {
    let next: Term = node;
    const chain = chainOf(node);
    if (node.kind === 'mul' && chain.length >= 2) {
      const scalars = node.factors.filter(isScalar).map(map);
      if (scalars.length === 0) {
        next = pureNode(chain);
      } else if (used.has(key(chain))) {
        next = T.mul([...scalars, pureNode(chain)]);
      } else if (chain.length >= 3 && cover(chain).length < chain.length) {
        next = T.mul([...scalars, ...cover(chain).map((s) => (s.length === 1 ? map(s[0]!) : pureNode(s)))]);
      } else {
        next = T.withChildren(node, node.factors.map(map));
      }
    } else {
      const children = childrenOf(node);
      if (children.some((c) => mapped.has(c))) next = T.withChildren(node, children.map(map));
    }
    if (next !== node) mapped.set(node, next);
  }
  return { roots: roots.map(map), replaced: mapped };
}
