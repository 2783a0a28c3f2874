import { localIndex } from './tables.js';
import type { Term } from './term.js';

/**
 * Per-term caches indexed by term id. Terms live as long as the factory's table, so a WeakMap buys
 * nothing here, and with hundreds of thousands of entries its ephemerons cost the garbage collector
 * seconds on a 1 MB expression; a typed array indexed by id costs 8 bytes per term. The arrays
 * start small and double as ids come: a small call (a few hundred terms) fills no more, and every
 * reset makes them again.
 */
const INITIAL_SLOTS = 64;
/** A cleared array up to this size is refilled where it is (no allocation per reset); a larger one is dropped. */
const REUSED_SLOTS = 4096;

export class NumberMemo {
  #values = new Float64Array(INITIAL_SLOTS).fill(Number.NaN);
  /** One past the highest slot set since the last clear: a clear refills no further. */
  #top = 0;
  /** Terms of an earlier generation (tables.ts, `generation`), which have no slot in the array. */
  readonly #earlier = new Map<Term, number>();

  get(t: Term): number | undefined {
    const i = localIndex(t.id);
    if (i < 0) return this.#earlier.get(t);
    const v = i < this.#values.length ? this.#values[i]! : Number.NaN;
    return Number.isNaN(v) ? undefined : v;
  }

  clear(): void {
    if (this.#values.length <= REUSED_SLOTS) this.#values.fill(Number.NaN, 0, this.#top);
    else this.#values = new Float64Array(INITIAL_SLOTS).fill(Number.NaN);
    this.#top = 0;
    if (this.#earlier.size > 0) this.#earlier.clear();
  }

  set(t: Term, value: number): void {
    const i = localIndex(t.id);
    if (i < 0) {
      this.#earlier.set(t, value);
      return;
    }
    if (i >= this.#values.length) {
      let size = this.#values.length * 2;
      while (size <= i) size *= 2;
      const grown = new Float64Array(size).fill(Number.NaN);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[i] = value;
    if (i >= this.#top) this.#top = i + 1;
  }
}

/** A string per term (few distinct strings), by id. */
export class StringMemo {
  readonly #index = new NumberMemo();
  readonly #strings: string[] = [];
  readonly #known = new Map<string, number>();

  clear(): void {
    this.#index.clear();
  }

  get(t: Term): string | undefined {
    const i = this.#index.get(t);
    return i === undefined ? undefined : this.#strings[i];
  }

  set(t: Term, value: string): void {
    let i = this.#known.get(value);
    if (i === undefined) {
      i = this.#strings.length;
      this.#strings.push(value);
      this.#known.set(value, i);
    }
    this.#index.set(t, i);
  }
}

/** A term per term, by id (a simplifier's memo). */
export class TermMemo {
  #values: (Term | undefined)[] = new Array<Term | undefined>(INITIAL_SLOTS).fill(undefined);
  /** One past the highest slot set since the last clear: a clear refills no further. */
  #top = 0;
  /** Terms of an earlier generation (tables.ts, `generation`), which have no slot in the array. */
  readonly #earlier = new Map<Term, Term>();

  get(t: Term): Term | undefined {
    const i = localIndex(t.id);
    if (i < 0) return this.#earlier.get(t);
    return i < this.#values.length ? this.#values[i] : undefined;
  }

  has(t: Term): boolean {
    return this.get(t) !== undefined;
  }

  clear(): void {
    if (this.#values.length <= REUSED_SLOTS) this.#values.fill(undefined, 0, this.#top);
    else this.#values = new Array<Term | undefined>(INITIAL_SLOTS).fill(undefined);
    this.#top = 0;
    if (this.#earlier.size > 0) this.#earlier.clear();
  }

  set(t: Term, value: Term): void {
    const at = localIndex(t.id);
    if (at < 0) {
      this.#earlier.set(t, value);
      return;
    }
    if (at >= this.#values.length) {
      let size = this.#values.length * 2;
      while (size <= at) size *= 2;
      const grown = new Array<Term | undefined>(size).fill(undefined);
      for (let i = 0; i < this.#values.length; i++) grown[i] = this.#values[i];
      this.#values = grown;
    }
    this.#values[at] = value;
    if (at >= this.#top) this.#top = at + 1;
  }
}
