import { InternalError } from '../diagnostics/diagnostic.js';
import { dimSize } from '../term/dim-product.js';
import type { Dim } from '../term/term.js';

/**
 * The sizes of symbolic dimensions: how the check and the sampler choose them (with the one retry in
 * the other order), and a dimension's size in numbers. Its own module, with no evaluation in it, so
 * that the evaluator's parts can use it without the sampler, which evaluates.
 */

/** The sizes handed out in order; 1 is avoided so a vector never looks like a scalar. */
const SIZES = [3, 4, 2, 5, 6, 7];

/**
 * Small sizes for the dimensions, in the order given: distinct for the first six (so a transposed
 * or misplaced factor cannot go unnoticed), then cycling, so a 50-layer network is checked on
 * matrices of at most 7×7 rather than ever larger ones.
 */
export function chooseDimSizes(dims: readonly string[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const d of dims) {
    if (sizes.has(d)) continue;
    sizes.set(d, SIZES[sizes.size % SIZES.length]!);
  }
  return sizes;
}

/**
 * The same sizes handed out in reverse, or undefined when that changes nothing. The sizes are
 * distinct so that a transposed factor cannot chain, but that makes XᵀX (X of n×m) singular
 * whenever n < m, and logdet(XᵀX), inv(XᵀX)b are then undefined at every draw: the reversed sizes
 * make the other dimension the larger one, which finds the full-rank case.
 */
export function reversedDimSizes(dimSizes: ReadonlyMap<string, number>): Map<string, number> | undefined {
  if (dimSizes.size < 2) return undefined;
  const keys = [...dimSizes.keys()];
  const sizes = [...dimSizes.values()].reverse();
  const reversed = new Map(keys.map((key, i) => [key, sizes[i]!]));
  return keys.every((key) => reversed.get(key) === dimSizes.get(key)) ? undefined : reversed;
}

/**
 * `attempt` at the chosen sizes, and once more at the reversed sizes when it found no point inside
 * every function's domain there (`foundNoPoint`); the second result only when that one found a point.
 * Every size choice that draws (the gradient check, a derivative block's check, the inputs a module
 * embeds) goes through here, so all of them see the same sizes for the same terms.
 */
export function atDimSizes<R>(
  dimSizes: ReadonlyMap<string, number>,
  attempt: (dimSizes: ReadonlyMap<string, number>) => R,
  foundNoPoint: (result: R) => boolean,
): R {
  const first = attempt(dimSizes);
  if (!foundNoPoint(first)) return first;
  const reversed = reversedDimSizes(dimSizes);
  if (reversed === undefined) return first;
  const second = attempt(reversed);
  return foundNoPoint(second) ? first : second;
}

/**
 * A dimension's size in numbers: an integer as it is, a symbol (or a product m·p, a sum n+m) from
 * the sizes the check chose.
 */
export function resolveDim(d: Dim, dimSizes: ReadonlyMap<string, number>): number {
  if (typeof d === 'number') return d;
  const n = dimSize(d, dimSizes);
  if (n === undefined) throw new InternalError(`no size for dimension '${d}'`);
  return n;
}
