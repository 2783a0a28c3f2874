import * as dense from './dense.js';
import { Dense } from './dense.js';

/**
 * The product of a chain of matrices with the cheapest bracketing. Separate from the evaluator
 * (evaluator.ts): a cost optimisation with its own cache, which changes no value's meaning.
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
  // dims[i] × dims[i + 1] is the size of factor i.
  const dims = [chain[0]!.rows, ...chain.map((m) => m.cols)];
  const split = chainSplits(dims);
  // Multiply by the split table with an explicit stack (post-order over the bracketing tree).
  const results = new Map<number, Dense>(); // key i * k + j
  const stack: [number, number][] = [[0, k - 1]];
  while (stack.length > 0) {
    const [i, j] = stack[stack.length - 1]!;
    if (i === j) {
      results.set(i * k + j, chain[i]!);
      stack.pop();
      continue;
    }
    const s = split[i]![j]!;
    const left = results.get(i * k + s);
    const right = results.get((s + 1) * k + j);
    if (left !== undefined && right !== undefined) {
      results.set(i * k + j, dense.matmul(left, right));
      stack.pop();
    } else {
      if (left === undefined) stack.push([i, s]);
      if (right === undefined) stack.push([s + 1, j]);
    }
  }
  return results.get(k - 1)!;
}

/**
 * The optimal bracketing of a chain with these sizes (the classic O(k³) programme): split[i][j] is
 * where the product of factors i..j splits. Kept per list of sizes, since the check evaluates the
 * same products at many points.
 */
const splitTables = new Map<string, number[][]>();

function chainSplits(dims: readonly number[]): number[][] {
  const key = dims.join(',');
  const hit = splitTables.get(key);
  if (hit !== undefined) return hit;
  const k = dims.length - 1;
  const cost: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const split: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let length = 2; length <= k; length++) {
    for (let i = 0; i + length - 1 < k; i++) {
      const j = i + length - 1;
      cost[i]![j] = Infinity;
      for (let s = i; s < j; s++) {
        const c = cost[i]![s]! + cost[s + 1]![j]! + dims[i]! * dims[s + 1]! * dims[j + 1]!;
        if (c < cost[i]![j]!) {
          cost[i]![j] = c;
          split[i]![j] = s;
        }
      }
    }
  }
  if (splitTables.size > 10_000) splitTables.clear();
  splitTables.set(key, split);
  return split;
}
