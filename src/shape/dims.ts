import { dimFactors, dimProduct, isDimProduct } from '../term/dim-product.js';
import type { Dim } from '../term/term.js';

/**
 * Dimensions during inference: a union-find over dimension variables. A class may be pinned to an
 * integer (from a literal, a --dims entry, or a scalar constraint) or to a rigid symbol (a dimension
 * of an already-built term, when a rule template is instantiated). Two different pins never unify.
 *
 * A class may also be a product of other classes (kron's mp, vec's mn: term/dim-product.ts). It is
 * known when its factors are, and unifies with another product by cancelling the factors both have
 * (the same class, the same symbol; numbers multiplied) and then unifying what is left pairwise in
 * order — so m·p and n·q become m = n, p = q, the natural reading of (A ⊗ B)x with x of n·q. A single
 * free class left on one side becomes the other side's product; anything else does not unify (mp is
 * never equated with a symbol r). Every change a unification makes is recorded on a trail and undone
 * when it fails, so a refused unification, or a trial one (compatible), leaves no trace.
 */
export class DimTable {
  readonly #parent: number[] = [];
  readonly #value: (number | undefined)[] = [];
  readonly #rigid: (string | undefined)[] = [];
  /** Dimensions of a matrix-named variable (A, X): never silently 1, so `A*exp(x)` stays a vector. */
  readonly #nonUnit: boolean[] = [];
  /** The factor classes of a product class (at its root); undefined for every other class. */
  readonly #factors: (readonly number[] | undefined)[] = [];
  /** The changes of the unification in progress: [array, index, old value]. */
  readonly #trail: [unknown[], number, unknown][] = [];
  #trying = false;

  fresh(nonUnit = false): number {
    const i = this.#parent.length;
    this.#parent.push(i);
    this.#value.push(undefined);
    this.#rigid.push(undefined);
    this.#nonUnit.push(nonUnit);
    this.#factors.push(undefined);
    return i;
  }

  constant(n: number): number {
    const i = this.fresh();
    this.#value[i] = n;
    return i;
  }

  /** A dimension that is already known: a number, or a symbol or product of a built term (never unifies with another). */
  known(d: Dim): number {
    if (typeof d === 'number') return this.constant(d);
    if (isDimProduct(d)) {
      const { coefficient, symbols } = dimFactors(d);
      return this.product([...(coefficient === 1 ? [] : [this.constant(coefficient)]), ...symbols.map((s) => this.known(s))]);
    }
    const i = this.fresh();
    this.#rigid[i] = d;
    return i;
  }

  /** The product of classes: numbers multiplied now, a class of its own while any factor is unknown. */
  product(factors: readonly number[]): number {
    let coefficient = 1;
    const rest: number[] = [];
    for (const atom of factors.flatMap((f) => this.#atoms(f))) {
      const v = this.#value[atom];
      if (v === undefined) rest.push(atom);
      else coefficient *= v;
    }
    if (rest.length === 0) return this.constant(coefficient);
    if (coefficient === 1 && rest.length === 1) return rest[0]!;
    const i = this.fresh();
    this.#factors[i] = coefficient === 1 ? rest : [this.constant(coefficient), ...rest];
    return i;
  }

  find(i: number): number {
    let root = i;
    while (this.#parent[root] !== root) root = this.#parent[root]!;
    // Path compression, iteratively (not during a unification, which may be undone).
    if (this.#trying) return root;
    while (this.#parent[i] !== root) {
      const next = this.#parent[i]!;
      this.#parent[i] = root;
      i = next;
    }
    return root;
  }

  valueOf(i: number): number | undefined {
    const root = this.find(i);
    const factors = this.#factors[root];
    if (factors === undefined) return this.#value[root];
    let n = 1;
    for (const f of factors) {
      const v = this.valueOf(f);
      if (v === undefined) return undefined;
      n *= v;
    }
    return n;
  }

  /** The symbol of a rigid class, or the canonical product (m·p) of a product whose factors are all known. */
  rigidOf(i: number): string | undefined {
    const root = this.find(i);
    const factors = this.#factors[root];
    if (factors === undefined) return this.#rigid[root];
    const known: Dim[] = [];
    for (const f of factors) {
      const d = this.valueOf(f) ?? this.rigidOf(f);
      if (d === undefined) return undefined;
      known.push(d);
    }
    const d = dimProduct(known);
    return typeof d === 'string' ? d : undefined;
  }

  /** The factors of a product class (undefined for any other class): what the namer names one by one. */
  factorsOf(i: number): readonly number[] | undefined {
    return this.#factors[this.find(i)];
  }

  isOne(i: number): boolean {
    return this.valueOf(i) === 1;
  }

  /** Merges two classes; false (and no change) when they cannot be equal. */
  unify(a: number, b: number): boolean {
    this.#trying = true;
    const ok = this.#unify(a, b);
    this.#trying = false;
    if (!ok) this.#undo();
    this.#trail.length = 0;
    return ok;
  }

  /** Whether unify(a, b) would succeed, without changing anything. */
  compatible(a: number, b: number): boolean {
    this.#trying = true;
    const ok = this.#unify(a, b);
    this.#trying = false;
    this.#undo();
    return ok;
  }

  #set<T>(array: T[], i: number, value: T): void {
    this.#trail.push([array, i, array[i]]);
    array[i] = value;
  }

  #undo(): void {
    for (let k = this.#trail.length - 1; k >= 0; k--) {
      const [array, i, old] = this.#trail[k]!;
      array[i] = old;
    }
    this.#trail.length = 0;
  }

  /** The non-product classes a class multiplies out to (itself when it is not a product). */
  #atoms(i: number): number[] {
    const root = this.find(i);
    const factors = this.#factors[root];
    return factors === undefined ? [root] : factors.flatMap((f) => this.#atoms(f));
  }

  #unify(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const pa = this.#factors[ra] !== undefined;
    const pb = this.#factors[rb] !== undefined;
    if (!pa && !pb) return this.#unifyPlain(ra, rb);
    const [p, q] = pa ? [ra, rb] : [rb, ra];
    if (!pa || !pb) {
      if (this.#value[q] === undefined && this.#rigid[q] === undefined) {
        // A free class becomes the product (never one of its own factors: n = n·p).
        if (this.#atoms(p).includes(q)) return false;
        this.#set(this.#parent, q, p);
        this.#set(this.#nonUnit, p, this.#nonUnit[p]! || this.#nonUnit[q]!);
        return true;
      }
    }
    if (!this.#unifyFactors(this.#atoms(p), this.#atoms(q))) return false;
    if (this.find(q) !== this.find(p)) this.#set(this.#parent, this.find(q), this.find(p));
    return true;
  }

  #unifyPlain(ra: number, rb: number): boolean {
    const va = this.#value[ra];
    const vb = this.#value[rb];
    const sa = this.#rigid[ra];
    const sb = this.#rigid[rb];
    if (va !== undefined && vb !== undefined && va !== vb) return false;
    if (sa !== undefined && sb !== undefined && sa !== sb) return false;
    if ((va !== undefined && sb !== undefined) || (vb !== undefined && sa !== undefined)) return false;
    if ((va === 1 && this.#nonUnit[rb]) || (vb === 1 && this.#nonUnit[ra])) return false;
    this.#set(this.#parent, rb, ra);
    this.#set(this.#nonUnit, ra, this.#nonUnit[ra]! || this.#nonUnit[rb]!);
    this.#set(this.#value, ra, va ?? vb);
    this.#set(this.#rigid, ra, sa ?? sb);
    return true;
  }

  /** Two products of atoms made equal: common factors cancelled, then what is left (see the class comment). */
  #unifyFactors(left: readonly number[], right: readonly number[]): boolean {
    const split = (atoms: readonly number[]) => {
      let coefficient = 1;
      const rest: number[] = [];
      for (const atom of atoms) {
        const v = this.valueOf(atom);
        if (v === undefined) rest.push(this.find(atom));
        else coefficient *= v;
      }
      return { coefficient, rest };
    };
    const l = split(left);
    const r = split(right);
    const same = (x: number, y: number) => x === y || (this.#rigid[x] !== undefined && this.#rigid[x] === this.#rigid[y]);
    const L = [...l.rest];
    const R: number[] = [];
    for (const y of r.rest) {
      const k = L.findIndex((x) => same(x, y));
      if (k >= 0) L.splice(k, 1);
      else R.push(y);
    }
    if (L.length === 0 && R.length === 0) return l.coefficient === r.coefficient;
    // One free class left on a side: it is the other side's product (the numbers must divide).
    for (const [one, other, c1, c2] of [[L, R, l.coefficient, r.coefficient], [R, L, r.coefficient, l.coefficient]] as const) {
      if (one.length === 1 && this.#rigid[one[0]!] === undefined && c2 % c1 === 0) {
        return this.#unify(one[0]!, this.product([this.constant(c2 / c1), ...other]));
      }
    }
    if (L.length === 0 || R.length === 0) {
      // Symbols whose product is a number: only 1, each of them 1.
      if (l.coefficient !== r.coefficient) return false;
      return [...L, ...R].every((x) => this.#unify(x, this.constant(1)));
    }
    if (L.length !== R.length || l.coefficient !== r.coefficient) return false;
    return L.every((x, k) => this.#unify(x, R[k]!));
  }
}

/** Gives free dimension classes readable names in order of first request: n, m, k, p, q, r, … */
export class DimNamer {
  static readonly NAMES = ['n', 'm', 'k', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w'];
  readonly #names = new Map<number, string>();
  /** Names never handed out: the integer exponents of matrix powers (Xⁿ's n is not a dimension). */
  readonly avoid = new Set<string>();
  #next = 0;

  constructor(private readonly table: DimTable) {}

  dim(i: number): Dim {
    const value = this.table.valueOf(i);
    if (value !== undefined) return value;
    const rigid = this.table.rigidOf(i);
    if (rigid !== undefined) return rigid;
    const factors = this.table.factorsOf(i);
    if (factors !== undefined) return dimProduct(factors.map((f) => this.dim(f)));
    const root = this.table.find(i);
    let name = this.#names.get(root);
    if (name === undefined) {
      do {
        const k = this.#next++;
        name = k < DimNamer.NAMES.length ? DimNamer.NAMES[k]! : `d${k - DimNamer.NAMES.length + 1}`;
      } while (this.avoid.has(name));
      this.#names.set(root, name);
    }
    return name;
  }

  /** The symbolic names handed out so far, in order. */
  names(): string[] {
    return [...this.#names.values()];
  }
}
