import type { Term } from './term.js';

/**
 * Per-term caches indexed by term id. Terms live as long as the factory's table, so a WeakMap buys
 * nothing here, and with hundreds of thousands of entries its ephemerons cost the garbage collector
 * seconds on a 1 MB expression; a typed array indexed by id costs 8 bytes per term.
 */
export class NumberMemo {
  #values = new Float64Array(1024).fill(Number.NaN);

  get(t: Term): number | undefined {
    const v = t.id < this.#values.length ? this.#values[t.id]! : Number.NaN;
    return Number.isNaN(v) ? undefined : v;
  }

  clear(): void {
    this.#values = new Float64Array(1024).fill(Number.NaN);
  }

  set(t: Term, value: number): void {
    if (t.id >= this.#values.length) {
      let size = this.#values.length * 2;
      while (size <= t.id) size *= 2;
      const grown = new Float64Array(size).fill(Number.NaN);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[t.id] = value;
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
  #values: (Term | undefined)[] = new Array<Term | undefined>(1024).fill(undefined);

  get(t: Term): Term | undefined {
    return t.id < this.#values.length ? this.#values[t.id] : undefined;
  }

  has(t: Term): boolean {
    return this.get(t) !== undefined;
  }

  set(t: Term, value: Term): void {
    if (t.id >= this.#values.length) {
      let size = this.#values.length * 2;
      while (size <= t.id) size *= 2;
      const grown = new Array<Term | undefined>(size).fill(undefined);
      for (let i = 0; i < this.#values.length; i++) grown[i] = this.#values[i];
      this.#values = grown;
    }
    this.#values[t.id] = value;
  }
}
