import { InternalError } from '../diagnostics/diagnostic.js';

/*
 * The numeric stage's value type, its constructors and the size checks every operation makes.
 * Separate so the operations (dense.ts) and the LU factorisation (dense-lu.ts) share it without
 * importing each other.
 */

/**
 * Zero-filled storage for `count` entries. V8 keeps a Float64Array of at most 8 entries (64 bytes) on
 * its heap but gives a larger one a backing store of its own outside it: ~10× the cost to make
 * (~250 ns against ~25 ns) and more work for the collector, for each 3×3 or 3×4 value the check
 * computes at every point. So storage of 9–64 entries is a view into a shared slab, as cheap to make
 * as a small array; a slab is freed when no view into it is left (a view keeps at most
 * SLAB_ENTRIES · 8 bytes alive). Smaller and larger storage is allocated as usual.
 */
export function entries(count: number): Float64Array {
  if (count <= 8 || count > SLAB_VIEW_MAX) return new Float64Array(count);
  if (slab === undefined || slabUsed + count > SLAB_ENTRIES) {
    slab = new ArrayBuffer(SLAB_ENTRIES * 8);
    slabUsed = 0;
  }
  const view = new Float64Array(slab, slabUsed * 8, count);
  slabUsed += count;
  return view;
}

const SLAB_ENTRIES = 512;
const SLAB_VIEW_MAX = 64;
let slab: ArrayBuffer | undefined;
let slabUsed = 0;

/**
 * A small dense Float64 matrix, row-major: entry (i, j) is data[i * cols + j]. The numeric stage's
 * only value type; a scalar is 1×1. Operations below never mutate their arguments, because the
 * evaluator shares one value between every parent of a DAG node.
 */
export class Dense {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new InternalError(`Dense: bad size ${rows}×${cols}`);
    }
    if (data !== undefined && data.length !== rows * cols) {
      throw new InternalError(`Dense: ${data.length} entries for a ${rows}×${cols} matrix`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? entries(rows * cols);
  }

  /** Builds a matrix from nested rows, e.g. Dense.from([[1, 2], [3, 4]]). */
  static from(rows: readonly (readonly number[])[]): Dense {
    const r = rows.length;
    const c = r === 0 ? 0 : rows[0]!.length;
    const out = new Dense(r, c);
    for (let i = 0; i < r; i++) {
      const row = rows[i]!;
      if (row.length !== c) throw new InternalError('Dense.from: ragged rows');
      for (let j = 0; j < c; j++) out.data[i * c + j] = row[j]!;
    }
    return out;
  }

  static scalar(value: number): Dense {
    return new Dense(1, 1, Float64Array.of(value));
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  get isSquare(): boolean {
    return this.rows === this.cols;
  }

  /** The value of a 1×1 matrix. */
  scalarValue(): number {
    if (this.rows !== 1 || this.cols !== 1) throw new InternalError(`scalarValue of a ${this.rows}×${this.cols} matrix`);
    return this.data[0]!;
  }

  clone(): Dense {
    const data = entries(this.data.length);
    data.set(this.data);
    return new Dense(this.rows, this.cols, data);
  }

  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }
}

export function requireSameSize(what: string, a: Dense, b: Dense): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new InternalError(`${what}: ${a.rows}×${a.cols} and ${b.rows}×${b.cols} differ`);
  }
}

export function requireSquare(what: string, a: Dense): void {
  if (a.rows !== a.cols) throw new InternalError(`${what}: ${a.rows}×${a.cols} is not square`);
}

export function fill(rows: number, cols: number, value: number): Dense {
  const out = new Dense(rows, cols);
  if (value !== 0) out.data.fill(value);
  return out;
}

export function identity(n: number): Dense {
  const out = new Dense(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}
