import { localIndex, onTermsReset } from './tables.js';
import { childrenOf, type Term } from './term.js';

/**
 * The distinct nodes reachable from `roots`, children before parents (a topological order of the
 * DAG). Iterative, so a 100,000-deep term does not overflow the stack. Children are visited in order,
 * so the result is deterministic. `include` prunes: a node it rejects is neither listed nor entered.
 */
export function postOrder(roots: readonly Term[], include?: (t: Term) => boolean): Term[] {
  if (include !== undefined || roots.length !== 1) return walk(roots, include ?? everything);
  // The whole DAG below one root: many stages walk f so (names, notes, sizes, sharing), and on a
  // large input each walk costs as much as a stage. A large walk is kept (terms never change) and
  // handed out as a copy, which callers may change.
  const root = roots[0]!;
  const kept = wholeWalks.get(root);
  if (kept !== undefined) return kept.slice();
  const order = walk(roots, everything);
  if (order.length >= KEPT_WALK_SIZE) {
    if (wholeWalks.size >= KEPT_WALKS) wholeWalks = new Map();
    wholeWalks.set(root, order.slice());
  }
  return order;
}

const everything = (): boolean => true;

/** Walks of at least this many nodes are kept, at most KEPT_WALKS of them (small ones cost less than a lookup saves). */
const KEPT_WALK_SIZE = 4096;
const KEPT_WALKS = 4;
/**
 * Replaced, never cleared: Map.clear() on a map in V8's old generation leaves its entries in the old
 * table, which kept their terms alive through the scavenges until a full collection (tables.ts, resetTerms).
 */
let wholeWalks = new Map<Term, readonly Term[]>();
onTermsReset(() => {
  if (wholeWalks.size > 0) wholeWalks = new Map();
});

function walk(roots: readonly Term[], include: (t: Term) => boolean): Term[] {
  // Nested walks (an `include` that walks itself) keep their own Map; the outermost one marks nodes
  // in a shared array indexed by term id, which is many times faster on large DAGs.
  if (walking) return postOrderWithMap(roots, include);
  walking = true;
  try {
    stamp++;
    // Map.clear() allocates a new table even when empty; most walks meet no earlier term.
    if (earlierStamps.size > 0) earlierStamps.clear();
    const order: Term[] = [];
    const terms: Term[] = [];
    const next: number[] = [];
    for (const root of roots) {
      if (seen(root) || !include(root)) continue;
      mark(root);
      terms.push(root);
      next.push(0);
      while (terms.length > 0) {
        const top = terms.length - 1;
        const term = terms[top]!;
        const children = childrenOf(term);
        const i = next[top]!;
        if (i < children.length) {
          next[top] = i + 1;
          const child = children[i]!;
          if (!seen(child) && include(child)) {
            mark(child);
            terms.push(child);
            next.push(0);
          }
        } else {
          terms.pop();
          next.pop();
          order.push(term);
        }
      }
    }
    return order;
  } finally {
    walking = false;
  }
}

let walking = false;
let stamp = 0;
// Grown on demand (mark); small at first, since the start-up snapshot holds it (scripts/bundle-cli.mjs).
let stamps = new Int32Array(1 << 10);

/** Marks of terms from an earlier generation (a report a caller kept), which have no slot in `stamps`. */
const earlierStamps = new Map<Term, number>();

function seen(t: Term): boolean {
  const i = localIndex(t.id);
  if (i < 0) return earlierStamps.get(t) === stamp;
  return i < stamps.length && stamps[i] === stamp;
}

function mark(t: Term): void {
  const i = localIndex(t.id);
  if (i < 0) {
    earlierStamps.set(t, stamp);
    return;
  }
  if (i >= stamps.length) {
    let size = stamps.length * 2;
    while (size <= i) size *= 2;
    const grown = new Int32Array(size);
    grown.set(stamps);
    stamps = grown;
  }
  stamps[i] = stamp;
}

function postOrderWithMap(roots: readonly Term[], include: (t: Term) => boolean): Term[] {
  const order: Term[] = [];
  const state = new Map<Term, 1 | 2>(); // 1: on the stack, 2: emitted
  const stack: { term: Term; next: number }[] = [];
  for (const root of roots) {
    if (state.has(root) || !include(root)) continue;
    stack.push({ term: root, next: 0 });
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const children = childrenOf(top.term);
      if (top.next < children.length) {
        const child = children[top.next++]!;
        if (!state.has(child) && include(child)) {
          state.set(child, 1);
          stack.push({ term: child, next: 0 });
        }
      } else {
        stack.pop();
        state.set(top.term, 2);
        order.push(top.term);
      }
    }
  }
  return order;
}

/** How many parents in the DAG below `roots` refer to each node (an edge counted once per occurrence). */
export function parentCounts(roots: readonly Term[]): Map<Term, number> {
  const counts = new Map<Term, number>();
  for (const node of postOrder(roots)) {
    for (const child of childrenOf(node)) counts.set(child, (counts.get(child) ?? 0) + 1);
  }
  for (const root of roots) counts.set(root, (counts.get(root) ?? 0) + 1);
  return counts;
}

/** Number of distinct nodes in the DAG. */
export function dagSize(roots: readonly Term[]): number {
  return postOrder(roots).length;
}
