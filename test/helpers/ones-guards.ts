import type { Guard } from '../../src/rewrite/rule.js';
import * as T from '../../src/term/factory.js';
import { childrenOf, type Term } from '../../src/term/term.js';
import { postOrder } from '../../src/term/traverse.js';

/**
 * A rule's sides with 𝟙 itself put for each pattern variable guarded `ones(?o)` (rules/predicates.md):
 * the rule holds of 𝟙, not of any vector, and its right side sizes a number by it (𝟙ᵀ𝟙 = nrows(𝟙)),
 * so the soundness tests evaluate and simplify it so.
 */
export function withOnesBound(guards: readonly Guard[], sides: readonly Term[]): Term[] {
  const names = new Set(guards.filter((g) => g.predicate === 'ones').map((g) => g.variable));
  if (names.size === 0) return [...sides];
  const rebuilt = new Map<Term, Term>();
  for (const node of postOrder([...sides])) {
    if (node.kind === 'var' && names.has(node.name)) rebuilt.set(node, T.ones(node.shape));
    else rebuilt.set(node, T.withChildren(node, childrenOf(node).map((c) => rebuilt.get(c)!)));
  }
  return sides.map((t) => rebuilt.get(t)!);
}
