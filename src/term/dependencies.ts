import { localIndex } from './tables.js';
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
  // A plain array of small integers grown as ids are met: a typed array of the generation's size
  // is allocated off the heap, which costs more than a whole small call's walk.
  const memo: number[] = [];
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
    while (memo.length <= i) memo.push(0);
    memo[i] = d ? 2 : 1;
  };
  /** A node's own answer from its children's, or 0 when a child is not known yet. */
  const fromChildren = (node: Term): number => {
    if (node.kind === 'var') return wanted.has(node.name) ? 2 : 1;
    const children = childrenOf(node);
    let answer = 1;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (c.constant) continue;
      const known = get(c);
      if (known === 0) return 0;
      if (known === 2) answer = 2;
    }
    return answer;
  };
  return (t: Term): boolean => {
    if (t.constant || wanted.size === 0) return false;
    const known = get(t);
    if (known !== 0) return known === 2;
    // A node built over known ones (the sweep's prefix products, its coefficients): no walk.
    const own = fromChildren(t);
    if (own !== 0) {
      set(t, own === 2);
      return own === 2;
    }
    for (const node of postOrder([t], (n) => !n.constant && get(n) === 0)) set(node, fromChildren(node) === 2);
    return get(t) === 2;
  };
}

/** Whether `term` depends on the variable `name` (walks the term; for many questions use dependencyTest). */
export function dependsOn(term: Term, name: string): boolean {
  return dependencyTest([name])(term);
}
