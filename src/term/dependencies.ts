import { generationSize, localIndex } from './tables.js';
import type { Term } from './term.js';
import { childrenOf } from './term.js';
import { postOrder } from './traverse.js';

/**
 * A test "does this term depend on any of these variables?", memoised per test. Terms carry only
 * `constant` (no variable at all); which variables a term depends on is found by walking its DAG
 * once, on demand: a set per node (a bit mask over every variable name) made 20,000-variable inputs
 * slow and each node's mask as large as the number of variables. Terms built later (the sweep's
 * prefix products) are walked when first asked about, below the nodes already known.
 */
export function dependencyTest(names: Iterable<string>): (t: Term) => boolean {
  const wanted = new Set(names);
  // By term id (of the current generation; earlier ones aside): 0 not known yet, 1 independent, 2 dependent.
  let memo = new Uint8Array(generationSize() + 256);
  const earlier = new Map<Term, number>();
  const get = (n: Term) => {
    const i = localIndex(n.id);
    return i < 0 ? (earlier.get(n) ?? 0) : i < memo.length ? memo[i]! : 0;
  };
  const set = (n: Term, d: boolean) => {
    const i = localIndex(n.id);
    if (i < 0) {
      earlier.set(n, d ? 2 : 1);
      return;
    }
    if (i >= memo.length) {
      const grown = new Uint8Array(Math.max(memo.length * 2, i + 1024));
      grown.set(memo);
      memo = grown;
    }
    memo[i] = d ? 2 : 1;
  };
  return (t: Term): boolean => {
    if (t.constant || wanted.size === 0) return false;
    if (get(t) !== 0) return get(t) === 2;
    for (const node of postOrder([t], (n) => !n.constant && get(n) === 0)) {
      let d = false;
      if (node.kind === 'var') d = wanted.has(node.name);
      else {
        for (const c of childrenOf(node)) {
          if (!c.constant && get(c) === 2) {
            d = true;
            break;
          }
        }
      }
      set(node, d);
    }
    return get(t) === 2;
  };
}

/** Whether `term` depends on the variable `name` (walks the term; for many questions use dependencyTest). */
export function dependsOn(term: Term, name: string): boolean {
  return dependencyTest([name])(term);
}
