import { InternalError } from '../diagnostics/diagnostic.js';
import { dimSize } from '../term/dim-product.js';
import type { Dim } from '../term/term.js';

/**
 * A dimension's size in numbers: an integer as it is, a symbol (or a product m·p, a sum n+m) from
 * the sizes the check chose. Its own module so that the evaluator's parts can use it without the
 * sampler, which evaluates.
 */
export function resolveDim(d: Dim, dimSizes: ReadonlyMap<string, number>): number {
  if (typeof d === 'number') return d;
  const n = dimSize(d, dimSizes);
  if (n === undefined) throw new InternalError(`no size for dimension '${d}'`);
  return n;
}
