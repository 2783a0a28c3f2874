import { dimSymbols } from './dim-product.js';
import type { Shape, Term } from './term.js';
import { postOrder } from './traverse.js';

/**
 * Symbolic dimension names used by the variables, in order of first appearance, then those that only
 * the terms' nodes carry: the inner dimension of 𝟙ᵀA𝟙, the size of a free `eye` or `vector(2)`. The
 * check must size every dimension a node has, not just the variables' (these were exit 70s). A
 * product (m·p) is sized by its symbols: each is listed, never the product itself.
 */
export function collectFreeDims(variables: ReadonlyMap<string, Shape>, roots: readonly Term[] = []): string[] {
  const seen = new Set<string>();
  const add = (shape: Shape) => {
    for (const d of shape) for (const s of dimSymbols(d)) seen.add(s);
  };
  for (const shape of variables.values()) add(shape);
  for (const node of postOrder(roots)) add(node.shape);
  return [...seen];
}
