import type { Dim } from '../term/term.js';

/**
 * Dimensions during inference: a union-find over dimension variables. A class may be pinned to an
 * integer (from a literal, a --dims entry, or a scalar constraint) or to a rigid symbol (a dimension
 * of an already-built term, when a rule template is instantiated). Two different pins never unify.
 */
export class DimTable {
  readonly #parent: number[] = [];
  readonly #value: (number | undefined)[] = [];
  readonly #rigid: (string | undefined)[] = [];
  /** Dimensions of a matrix-named variable (A, X): never silently 1, so `A*exp(x)` stays a vector. */
  readonly #nonUnit: boolean[] = [];

  fresh(nonUnit = false): number {
    const i = this.#parent.length;
    this.#parent.push(i);
    this.#value.push(undefined);
    this.#rigid.push(undefined);
    this.#nonUnit.push(nonUnit);
    return i;
  }

  constant(n: number): number {
    const i = this.fresh();
    this.#value[i] = n;
    return i;
  }

  /** A dimension that is already known: a number, or a symbol of a built term (never unifies with another symbol). */
  known(d: Dim): number {
    if (typeof d === 'number') return this.constant(d);
    const i = this.fresh();
    this.#rigid[i] = d;
    return i;
  }

  find(i: number): number {
    let root = i;
    while (this.#parent[root] !== root) root = this.#parent[root]!;
    // Path compression, iteratively.
    while (this.#parent[i] !== root) {
      const next = this.#parent[i]!;
      this.#parent[i] = root;
      i = next;
    }
    return root;
  }

  valueOf(i: number): number | undefined {
    return this.#value[this.find(i)];
  }

  rigidOf(i: number): string | undefined {
    return this.#rigid[this.find(i)];
  }

  isOne(i: number): boolean {
    return this.valueOf(i) === 1;
  }

  /** Merges two classes; false (and no change) when they are pinned to different values. */
  unify(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const va = this.#value[ra];
    const vb = this.#value[rb];
    const sa = this.#rigid[ra];
    const sb = this.#rigid[rb];
    if (va !== undefined && vb !== undefined && va !== vb) return false;
    if (sa !== undefined && sb !== undefined && sa !== sb) return false;
    if ((va !== undefined && sb !== undefined) || (vb !== undefined && sa !== undefined)) return false;
    if ((va === 1 && this.#nonUnit[rb]) || (vb === 1 && this.#nonUnit[ra])) return false;
    this.#parent[rb] = ra;
    this.#nonUnit[ra] = this.#nonUnit[ra]! || this.#nonUnit[rb]!;
    this.#value[ra] = va ?? vb;
    this.#rigid[ra] = sa ?? sb;
    return true;
  }

  /** Whether unify(a, b) would succeed, without changing anything. */
  compatible(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const va = this.#value[ra] ?? this.#rigid[ra];
    const vb = this.#value[rb] ?? this.#rigid[rb];
    if ((va === 1 && this.#nonUnit[rb]) || (vb === 1 && this.#nonUnit[ra])) return false;
    return va === undefined || vb === undefined || va === vb;
  }
}

/** Gives free dimension classes readable names in order of first request: n, m, k, p, q, r, … */
export class DimNamer {
  static readonly NAMES = ['n', 'm', 'k', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w'];
  readonly #names = new Map<number, string>();

  constructor(private readonly table: DimTable) {}

  dim(i: number): Dim {
    const value = this.table.valueOf(i);
    if (value !== undefined) return value;
    const rigid = this.table.rigidOf(i);
    if (rigid !== undefined) return rigid;
    const root = this.table.find(i);
    let name = this.#names.get(root);
    if (name === undefined) {
      const k = this.#names.size;
      name = k < DimNamer.NAMES.length ? DimNamer.NAMES[k]! : `d${k - DimNamer.NAMES.length + 1}`;
      this.#names.set(root, name);
    }
    return name;
  }

  /** The symbolic names handed out so far, in order. */
  names(): string[] {
    return [...this.#names.values()];
  }
}
