import * as dense from './dense.js';
import { Dense } from './dense.js';

/**
 * The product of a chain of matrices with the cheapest bracketing. Separate from the evaluator
 * (evaluator.ts): a cost optimisation, which changes no value's meaning.
 */

/**
 * The product of a matrix chain. Bracketing changes the cost a lot (aᵀ(XXᵀ)b vs (aᵀX)(Xᵀb)), so
 * up to 24 factors use the classic O(k³) dynamic programme; longer chains go left to right.
 */
export function multiplyChain(chain: readonly Dense[]): Dense {
  const k = chain.length;
  if (k === 1) return chain[0]!;
  if (k === 2) return dense.matmul(chain[0]!, chain[1]!);
  if (k === 3) {
    // (AB)C or A(BC): the cheaper one, exactly as the general programme below chooses (ties: A(BC)).
    const [a, b, c] = chain as [Dense, Dense, Dense];
    const left = a.rows * a.cols * b.cols + a.rows * b.cols * c.cols;
    const right = b.rows * b.cols * c.cols + a.rows * a.cols * c.cols;
    return left < right ? dense.matmul(dense.matmul(a, b), c) : dense.matmul(a, dense.matmul(b, c));
  }
  if (k > 24) {
    let acc = chain[0]!;
    for (let i = 1; i < k; i++) acc = dense.matmul(acc, chain[i]!);
    return acc;
  }
  const split = chainSplits(chain);
  return multiplyRange(chain, split, 0, k - 1);
}

/** The product of factors i..j by the split table (recursion depth at most 24, the longest chain split). */
function multiplyRange(chain: readonly Dense[], split: readonly number[], i: number, j: number): Dense {
  if (i === j) return chain[i]!;
  const s = split[i * chain.length + j]!;
  return dense.matmul(multiplyRange(chain, split, i, s), multiplyRange(chain, split, s + 1, j));
}

/**
 * The optimal bracketing of a chain (the classic O(k³) programme): split[i·k + j] is where the
 * product of factors i..j splits; ties go to the first split (A(BC) for three). Computed per call: at most ~2,300 steps for 24 factors, and no cheaper than that to look up by
 * the list of sizes (a string key per product cost more than the programme for short chains, which
 * the check evaluates at every point).
 */
function chainSplits(chain: readonly Dense[]): number[] {
  const k = chain.length;
  // Factor i is dims[i] × dims[i + 1].
  const dims = new Array<number>(k + 1);
  for (let i = 0; i < k; i++) dims[i] = chain[i]!.rows;
  dims[k] = chain[k - 1]!.cols;
  // Plain arrays: a typed array of more than 64 bytes gets a backing store outside the heap, which
  // costs more to allocate than this programme costs to run on a short chain.
  const cost = new Array<number>(k * k).fill(0);
  const split = new Array<number>(k * k).fill(0);
  for (let length = 2; length <= k; length++) {
    for (let i = 0; i + length - 1 < k; i++) {
      const j = i + length - 1;
      let best = Infinity;
      let at = i;
      for (let s = i; s < j; s++) {
        const c = cost[i * k + s]! + cost[(s + 1) * k + j]! + dims[i]! * dims[s + 1]! * dims[j + 1]!;
        if (c < best) {
          best = c;
          at = s;
        }
      }
      cost[i * k + j] = best;
      split[i * k + j] = at;
    }
  }
  return split;
}
