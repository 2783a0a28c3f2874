import { localIndex } from '../term/tables.js';
import type { Term } from '../term/term.js';

/**
 * A value per term, by id (term/memo.ts's TermMemo for values that are not terms): the simplifier
 * asks for a term's parts and properties at nearly every node, and on a 1 MB sum a Map keyed by
 * term costs a hash lookup per question where an array index does. Terms of an earlier generation
 * (a report a caller kept) have no slot: a Map holds them.
 */
export class ByTerm<V> {
  #values: (V | undefined)[] = [];
  readonly #earlier = new Map<Term, V>();
  #size = 0;

  get(t: Term): V | undefined {
    const i = localIndex(t.id);
    if (i < 0) return this.#earlier.get(t);
    return i < this.#values.length ? this.#values[i] : undefined;
  }

  has(t: Term): boolean {
    return this.get(t) !== undefined;
  }

  set(t: Term, value: V): void {
    const i = localIndex(t.id);
    this.#size++;
    if (i < 0) {
      this.#earlier.set(t, value);
      return;
    }
    // Holes are filled as the array grows, so it stays a packed array V8 indexes quickly.
    while (this.#values.length < i) this.#values.push(undefined);
    this.#values[i] = value;
  }

  /** How many values were set since the last clear (0: nothing to clear). */
  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#values = [];
    this.#earlier.clear();
    this.#size = 0;
  }
}
