import * as T from '../term/factory.js';
import { childrenOf, type Term } from '../term/term.js';
import { NumberByTerm } from './by-term.js';

/**
 * Two measures of a term that the simplifier's choices compare: its size written out as a tree (a
 * distributed form is kept only when strictly smaller) and its number of transposes (a transpose is
 * moved inside or pulled out only when that removes some). Both are pure functions of the term,
 * memoised per node for the life of the process; the simplifier keeps them warm bottom-up so that
 * they never recurse deeply.
 */
const treeSizes = new NumberByTerm();
const transposeCounts = new NumberByTerm();

T.onTermsReset(() => {
  transposeCounts.clear();
  treeSizes.clear();
});

/** Size of the term written out as a tree (shared nodes counted per use), memoised per node. */
export function treeSize(t: Term): number {
  const hit = treeSizes.get(t);
  if (hit !== undefined) return hit;
  let size = 1;
  // Indexed, not for…of: an iterator allocates at every node when the recursion keeps V8 from
  // optimising it away.
  const kids = childrenOf(t);
  for (let i = 0; i < kids.length; i++) size += treeSize(kids[i]!);
  treeSizes.set(t, size);
  return size;
}

/** How many transpose nodes the term has written out as a tree, memoised per node. */
export function transposeCount(t: Term): number {
  const hit = transposeCounts.get(t);
  if (hit !== undefined) return hit;
  let n = t.kind === 'transpose' ? 1 : 0;
  const kids = childrenOf(t);
  for (let i = 0; i < kids.length; i++) n += transposeCount(kids[i]!);
  transposeCounts.set(t, n);
  return n;
}
