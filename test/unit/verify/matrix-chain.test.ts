import { describe, expect, it } from 'vitest';
import * as dense from '../../../src/verify/dense.js';
import { Dense } from '../../../src/verify/dense.js';
import { multiplyChain } from '../../../src/verify/matrix-chain.js';
import { createRng, type Rng } from '../../../src/verify/random.js';

/**
 * multiplyChain brackets a chain by the classic dynamic programme. Checked against a reference
 * written the plainest way (recursion over every split, memoised, ties to the first split): the same
 * bracketing multiplies the same numbers in the same order, so the products must agree bit for bit;
 * a different bracketing shows as a last-bit difference on random entries.
 */

/** The product by the cheapest bracketing, found by exhaustive (memoised) recursion over the splits. */
function reference(chain: readonly Dense[]): Dense {
  const memo = new Map<string, { cost: number; split: number }>();
  const best = (i: number, j: number): { cost: number; split: number } => {
    if (i === j) return { cost: 0, split: i };
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit) return hit;
    let out = { cost: Infinity, split: i };
    for (let s = i; s < j; s++) {
      const c = best(i, s).cost + best(s + 1, j).cost + chain[i]!.rows * chain[s]!.cols * chain[j]!.cols;
      if (c < out.cost) out = { cost: c, split: s };
    }
    memo.set(key, out);
    return out;
  };
  const multiply = (i: number, j: number): Dense => {
    if (i === j) return chain[i]!;
    const s = best(i, j).split;
    return dense.matmul(multiply(i, s), multiply(s + 1, j));
  };
  return multiply(0, chain.length - 1);
}

function randomChain(rng: Rng, length: number): Dense[] {
  // Sizes from 1 to 6, so that vectors (1) and scalars' shapes (1×1) meet matrices.
  const sizes = Array.from({ length: length + 1 }, () => 1 + Math.floor(rng.next() * 6));
  return Array.from({ length }, (_, i) => {
    const m = new Dense(sizes[i]!, sizes[i + 1]!);
    for (let e = 0; e < m.data.length; e++) m.data[e] = rng.normal();
    return m;
  });
}

describe('multiplyChain', () => {
  it('brackets every chain of 1 to 24 factors as the exhaustive reference does (bit for bit)', () => {
    const rng = createRng(20261207);
    for (let trial = 0; trial < 400; trial++) {
      const chain = randomChain(rng, 1 + (trial % 24));
      const got = multiplyChain(chain);
      const want = reference(chain);
      expect([got.rows, got.cols]).toEqual([want.rows, want.cols]);
      expect(Array.from(got.data)).toEqual(Array.from(want.data));
    }
  });

  it('multiplies a chain longer than 24 from left to right', () => {
    const rng = createRng(7);
    const chain = randomChain(rng, 30);
    let want = chain[0]!;
    for (const m of chain.slice(1)) want = dense.matmul(want, m);
    expect(Array.from(multiplyChain(chain).data)).toEqual(Array.from(want.data));
  });

});
