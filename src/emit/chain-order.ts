import type { Shape } from '../term/term.js';

/**
 * Matrix-chain ordering (ENGINE.md §4, "Cost … for evaluation"). A product A₁A₂⋯A_k is associative,
 * but the cost of evaluating it is not: with W 100×200, A 200×300 and x a 300-vector, (WA)x costs
 * about 2·100·200·300 flops and W(Ax) about 2·(200·300 + 100·200) — 75× fewer. The simplifier
 * keeps products as flat words of factors (that is what lets it collect and factor them), so the
 * grouping is chosen here, when a product is printed as text or code, from the sizes of its factors.
 *
 * The classic dynamic programme (Cormen et al., §15.2): cost[i][j] = min over i ≤ s < j of
 * cost[i][s] + cost[s+1][j] + c(p_i, p_{s+1}, p_{j+1}), O(k³) time and O(k²) space for k factors,
 * where c(m, k, n) = mn(2k − 1) is the flop count of an m×k by k×n product (k multiplications and
 * k − 1 additions per entry; an outer product, k = 1, is mn multiplications). It is
 * applied only when every size is a number (`--dims` given); with a symbolic size the cost is not
 * known, and products print left to right as before. Ties go to the largest split s, so a chain
 * where the order does not matter stays left-deep: `ABC` prints as `ABC`, never as `A(BC)`, and only
 * a strictly cheaper order adds parentheses. Left-deep is also what `A @ B @ C` means in Python.
 */

/** A leaf is the index of a factor; a pair multiplies the product of its left part by its right part. */
export type ChainTree = number | readonly [ChainTree, ChainTree];

/** Chains longer than this keep their order: the DP is cubic, and such products do not occur in practice. */
export const MAX_CHAIN_LENGTH = 200;

/**
 * The cheapest grouping of a chain of matrix factors (shapes in order, each compatible with the
 * next), or undefined when there is nothing to choose (fewer than 3 factors, a symbolic size, a chain
 * longer than MAX_CHAIN_LENGTH) or when left to right is already among the cheapest.
 */
export function chainOrder(shapes: readonly Shape[]): ChainTree | undefined {
  const k = shapes.length;
  if (k < 3 || k > MAX_CHAIN_LENGTH) return undefined;
  const p: number[] = [];
  for (let i = 0; i < k; i++) {
    const [rows, cols] = shapes[i]!;
    if (typeof rows !== 'number' || typeof cols !== 'number') return undefined;
    if (i === 0) p.push(rows);
    else if (p[i] !== rows) return undefined; // not a chain: leave it alone
    p.push(cols);
  }
  // cost[i * k + j]: fewest multiply-adds for factors i..j; split[i * k + j]: the chosen s.
  const cost = new Float64Array(k * k);
  const split = new Int32Array(k * k);
  for (let length = 2; length <= k; length++) {
    for (let i = 0; i + length - 1 < k; i++) {
      const j = i + length - 1;
      let best = Infinity;
      let bestSplit = j - 1;
      for (let s = j - 1; s >= i; s--) {
        const c = cost[i * k + s]! + cost[(s + 1) * k + j]! + productFlops(p[i]!, p[s + 1]!, p[j + 1]!);
        if (c < best) {
          best = c;
          bestSplit = s;
        }
      }
      cost[i * k + j] = best;
      split[i * k + j] = bestSplit;
    }
  }
  const build = (i: number, j: number): ChainTree => {
    if (i === j) return i;
    const s = split[i * k + j]!;
    return [build(i, s), build(s + 1, j)];
  };
  const tree = build(0, k - 1);
  return isLeftDeep(tree) ? undefined : tree;
}

/** ((A₁A₂)A₃)⋯: every right operand is a single factor. */
export function isLeftDeep(tree: ChainTree): boolean {
  let t = tree;
  while (typeof t !== 'number') {
    if (typeof t[1] !== 'number') return false;
    t = t[0];
  }
  return true;
}

/** The left-deep grouping of k factors (what a flat product means). */
export function leftToRight(k: number): ChainTree {
  let tree: ChainTree = 0;
  for (let i = 1; i < k; i++) tree = [tree, i];
  return tree;
}

/**
 * The operands of a grouping as a printer writes it, left-associatively: the left part's operands
 * inline, a compound right part as one parenthesised group. ((AB)(CD))E → [A, B, [C, D], E].
 */
export type ChainItem = number | readonly ChainItem[];

export function chainItems(tree: ChainTree): ChainItem[] {
  const items: ChainItem[] = [];
  let t = tree;
  const rights: ChainTree[] = [];
  while (typeof t !== 'number') {
    rights.push(t[1]);
    t = t[0];
  }
  items.push(t);
  for (let i = rights.length - 1; i >= 0; i--) {
    const r = rights[i]!;
    items.push(typeof r === 'number' ? r : chainItems(r));
  }
  return items;
}

/** Flops of an m×k by k×n matrix product: k multiplications and k − 1 additions per entry. */
export function productFlops(m: number, k: number, n: number): number {
  return m * n * (2 * k - 1);
}

/** Flops of evaluating a chain in the given grouping (shapes must be numeric). */
export function chainFlops(shapes: readonly (readonly [number, number])[], tree: ChainTree): number {
  const visit = (t: ChainTree): { rows: number; cols: number; flops: number } => {
    if (typeof t === 'number') return { rows: shapes[t]![0], cols: shapes[t]![1], flops: 0 };
    const l = visit(t[0]);
    const r = visit(t[1]);
    return { rows: l.rows, cols: r.cols, flops: l.flops + r.flops + productFlops(l.rows, l.cols, r.cols) };
  };
  return visit(tree).flops;
}
