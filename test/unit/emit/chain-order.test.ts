import { describe, expect, test } from 'vitest';
import { chainItems, chainFlops, chainOrder, isLeftDeep, leftToRight, type ChainTree } from '../../../src/emit/chain-order.js';
import type { Shape } from '../../../src/term/term.js';

/** Shapes of a chain with sizes p0 × p1, p1 × p2, … */
const chain = (...p: number[]): [number, number][] => p.slice(1).map((cols, i) => [p[i]!, cols]);

/** Every grouping of factors i..j (Catalan many): the brute force the DP must match. */
function allTrees(i: number, j: number): ChainTree[] {
  if (i === j) return [i];
  const out: ChainTree[] = [];
  for (let s = i; s < j; s++) for (const l of allTrees(i, s)) for (const r of allTrees(s + 1, j)) out.push([l, r]);
  return out;
}

/** A small deterministic generator (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('chainOrder', () => {
  test('W(Ax) rather than (WA)x when x is a vector', () => {
    const tree = chainOrder(chain(100, 200, 300, 1));
    expect(tree).toEqual([0, [1, 2]]);
    expect(chainItems(tree!)).toEqual([0, [1, 2]]);
  });

  test('the gradient of ‖ABx‖² groups from the vector outwards', () => {
    // Bᵀ Aᵀ A B x with A 100×200, B 200×300, x 300×1.
    const tree = chainOrder(chain(300, 200, 100, 200, 300, 1));
    expect(tree).toEqual([0, [1, [2, [3, 4]]]]);
    expect(chainItems(tree!)).toEqual([0, [1, [2, [3, 4]]]]);
  });

  test('a row vector on the left keeps the left-to-right order (undefined: nothing to change)', () => {
    expect(chainOrder(chain(1, 50, 60, 70))).toBeUndefined();
  });

  test('ties stay left to right: square chains, and fewer than three factors', () => {
    expect(chainOrder(chain(5, 5, 5, 5, 5))).toBeUndefined();
    expect(chainOrder(chain(10, 1000, 1))).toBeUndefined();
  });

  test('any symbolic size leaves the product alone', () => {
    const shapes: Shape[] = [[100, 200], [200, 'n'], ['n', 1]];
    expect(chainOrder(shapes)).toBeUndefined();
  });

  test('shapes that do not chain are left alone', () => {
    expect(chainOrder([[2, 3], [4, 5], [5, 1]])).toBeUndefined();
  });

  test('matches the brute-force optimum on random chains, with deterministic ties', () => {
    const random = lcg(42);
    for (let trial = 0; trial < 300; trial++) {
      const k = 3 + Math.floor(random() * 4);
      const p = Array.from({ length: k + 1 }, () => 1 + Math.floor(random() * 6) * (random() < 0.3 ? 1 : 7));
      const shapes = chain(...p);
      const best = Math.min(...allTrees(0, k - 1).map((t) => chainFlops(shapes, t)));
      const tree = chainOrder(shapes);
      const chosen = tree ?? leftToRight(k);
      expect(chainFlops(shapes, chosen), `p = ${p.join(', ')}`).toBe(best);
      if (tree !== undefined) {
        // Parentheses only when strictly cheaper than left to right.
        expect(chainFlops(shapes, leftToRight(k))).toBeGreaterThan(best);
        expect(isLeftDeep(tree)).toBe(false);
      }
      expect(chainOrder(shapes)).toEqual(tree);
    }
  });

  test('chainItems lays a grouping out left-associatively', () => {
    expect(chainItems([[[0, 1], [2, 3]], 4])).toEqual([0, 1, [2, 3], 4]);
    expect(chainItems(leftToRight(4))).toEqual([0, 1, 2, 3]);
  });
});
