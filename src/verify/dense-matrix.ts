import { InternalError } from '../diagnostics/diagnostic.js';

/*
 * The numeric stage's value type, its constructors and the size checks every operation makes.
 * Separate so the operations (dense.ts) and the LU factorisation (dense-lu.ts) share it without
 * importing each other.
 */

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
    this.data = data ?? new Float64Array(rows * cols);
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
    return new Dense(this.rows, this.cols, this.data.slice());
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
