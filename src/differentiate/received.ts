import { localIndex } from '../term/tables.js';
import type { Term } from '../term/term.js';

/**
 * What each node of a reverse sweep has received so far, in order: by local term id in one array
 * rather than a Map keyed by term (a lookup, a store and a delete per node of a 1 MB input), and one
 * contribution as itself rather than a one-element list (most nodes receive one). Terms of an
 * earlier generation (a caller's kept report) have no local id and are kept aside.
 */
export class Received {
  readonly #slots: (Term | Term[] | undefined)[] = [];
  readonly #earlier = new Map<Term, Term[]>();

  add(node: Term, coefficient: Term): void {
    const i = localIndex(node.id);
    if (i < 0) {
      const list = this.#earlier.get(node);
      if (list) list.push(coefficient);
      else this.#earlier.set(node, [coefficient]);
      return;
    }
    const slots = this.#slots;
    while (slots.length <= i) slots.push(undefined); // pushed, not new Array(n): a large one is a dictionary
    const held = slots[i];
    if (held === undefined) slots[i] = coefficient;
    else if (Array.isArray(held)) held.push(coefficient);
    else slots[i] = [held, coefficient];
  }

  /** Takes what `node` received: one term, the terms in the order received, or undefined for nothing. */
  take(node: Term): Term | readonly Term[] | undefined {
    const i = localIndex(node.id);
    if (i < 0) {
      const list = this.#earlier.get(node);
      this.#earlier.delete(node);
      return list;
    }
    const held = this.#slots[i];
    if (held !== undefined) this.#slots[i] = undefined;
    return held;
  }
}
