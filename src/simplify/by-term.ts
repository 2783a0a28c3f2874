import { localIndex } from '../term/tables.js';
import type { Term } from '../term/term.js';

/**
 * Values per term, by id, for the simplifier's memos (as term/memo.ts's TermMemo and NumberMemo,
 * stored differently). The simplifier asks for a term's parts, properties and measures at nearly
 * every node: an array index is cheaper than a Map keyed by term. On a 1 MB input the ids run into
 * the millions, most of them terms the simplifier never sees (the reader's, the sweep's
 * intermediates); one array over every id allocated and filled tens of megabytes per memo (fresh
 * pages are what costs). So the ids are split into chunks, each made at its first value: only
 * ranges of ids the simplifier meets take memory. A reset keeps a few emptied chunks for the next
 * call. Terms of an earlier generation (a report a caller kept) have no slot: a Map holds them.
 */
const CHUNK_BITS = 11;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/** Chunks kept for reuse across resets, per memo: a call of ordinary size allocates none. */
const SPARE_CHUNKS = 4;

/**
 * The chunks of one memo, by chunk number: made at a first value, emptied and kept for reuse by
 * clear(). `C` is the chunk's storage (an array of values, or a Float64Array of numbers) and `empty`
 * the entry that marks no value in it.
 */
class Chunks<C extends { fill(value: E): unknown }, E> {
  #chunks: (C | undefined)[] = [];
  /** Emptied chunks of earlier calls, to be used again. */
  readonly #spare: C[] = [];

  constructor(
    private readonly make: () => C,
    private readonly empty: E,
  ) {}

  /** The chunk holding local index i, if one was made. */
  find(i: number): C | undefined {
    return this.#chunks[i >>> CHUNK_BITS];
  }

  /** The chunk holding local index i, made (or a spare reused) when there is none. */
  ensure(i: number): C {
    const k = i >>> CHUNK_BITS;
    let chunk = this.#chunks[k];
    if (chunk === undefined) {
      // Extended entry by entry: assigning far past the end would make the array sparse.
      while (this.#chunks.length <= k) this.#chunks.push(undefined);
      chunk = this.#spare.pop() ?? this.make();
      this.#chunks[k] = chunk;
    }
    return chunk;
  }

  clear(): void {
    for (const chunk of this.#chunks) {
      if (chunk === undefined || this.#spare.length >= SPARE_CHUNKS) continue;
      chunk.fill(this.empty);
      this.#spare.push(chunk);
    }
    this.#chunks = [];
  }
}

export class ByTerm<V> {
  readonly #chunks = new Chunks<(V | undefined)[], undefined>(() => new Array<V | undefined>(CHUNK).fill(undefined), undefined);
  readonly #earlier = new Map<Term, V>();
  #size = 0;

  get(t: Term): V | undefined {
    const i = localIndex(t.id);
    if (i < 0) return this.#earlier.get(t);
    return this.#chunks.find(i)?.[i & MASK];
  }

  has(t: Term): boolean {
    return this.get(t) !== undefined;
  }

  set(t: Term, value: V): void {
    const i = localIndex(t.id);
    this.#size++;
    if (i < 0) this.#earlier.set(t, value);
    else this.#chunks.ensure(i)[i & MASK] = value;
  }

  /** How many values were set since the last clear (0: nothing to clear). */
  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#chunks.clear();
    if (this.#earlier.size > 0) this.#earlier.clear();
    this.#size = 0;
  }
}

/** A number per term (NaN marks no value: the measures are finite or infinite, never NaN). */
export class NumberByTerm {
  readonly #chunks = new Chunks<Float64Array, number>(() => new Float64Array(CHUNK).fill(Number.NaN), Number.NaN);
  readonly #earlier = new Map<Term, number>();

  get(t: Term): number | undefined {
    const i = localIndex(t.id);
    if (i < 0) return this.#earlier.get(t);
    const chunk = this.#chunks.find(i);
    if (chunk === undefined) return undefined;
    const v = chunk[i & MASK]!;
    return v === v ? v : undefined;
  }

  set(t: Term, value: number): void {
    const i = localIndex(t.id);
    if (i < 0) this.#earlier.set(t, value);
    else this.#chunks.ensure(i)[i & MASK] = value;
  }

  clear(): void {
    this.#chunks.clear();
    if (this.#earlier.size > 0) this.#earlier.clear();
  }
}
