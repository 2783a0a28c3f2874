import { dimAddends, dimFactors, dimProduct, dimSum, isDimProduct, isDimSum } from '../term/dim-product.js';
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
 *
 * A class may also be a sum of other classes (the rows n + m of a block vector [x; y]). It is known
 * when its addends are. Two sums unify by cancelling the addends both have, then: a single free
 * class left on one side becomes the rest of the other side; otherwise what is left is unified
 * pairwise in order (n + m = p + q gives n = p, m = q, the reading of [x; y]ᵀ[a; b]), the numbers
 * equal. A sum meets a number by its free addends: one free addend is the difference, and free
 * addends exactly as many as the difference are each 1 (no dimension is 0). A free class becomes a
 * sum; a sum never unifies with a rigid symbol or a product.
 */
export class DimTable {
  readonly #parent: number[] = [];
  readonly #value: (number | undefined)[] = [];
  readonly #rigid: (string | undefined)[] = [];
  /** Dimensions of a matrix-named variable (A, X): never silently 1, so `A*exp(x)` stays a vector. */
  readonly #nonUnit: boolean[] = [];
  /** The factor classes of a product class (at its root); undefined for every other class. */
  readonly #factors: (readonly number[] | undefined)[] = [];
  /** The addend classes of a sum class (at its root); undefined for every other class. */
  readonly #addends: (readonly number[] | undefined)[] = [];
  /** Row classes of stack entries that are 1 (the notes' scalar entries) unless something else fixes them. */
  readonly #preferOne: number[] = [];
  /** The changes of the unification in progress: array, index, old value (three entries each). */
  readonly #trail: unknown[] = [];
  #trying = false;

  fresh(nonUnit = false): number {
    const i = this.#parent.length;
    this.#parent.push(i);
    this.#value.push(undefined);
    this.#rigid.push(undefined);
    this.#nonUnit.push(nonUnit);
    this.#factors.push(undefined);
    this.#addends.push(undefined);
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
    if (isDimSum(d)) {
      const { constant, terms } = dimAddends(d);
      return this.sum([...terms.map((t) => this.known(t)), ...(constant === 0 ? [] : [this.constant(constant)])]);
    }
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

  /** The sum of classes: numbers added now, a class of its own while any addend is unknown. */
  sum(addends: readonly number[]): number {
    // Known addends are kept apart (not added up): [A, B] of 3 + 4 columns times [x; y] makes x 3, y 4.
    const atoms = addends.flatMap((a) => this.#summands(a));
    if (atoms.length === 1) return atoms[0]!;
    const i = this.fresh();
    this.#addends[i] = atoms;
    this.#nonUnit[i] = true;
    return i;
  }

  /** The addends of a sum class (undefined for any other class). */
  addendsOf(i: number): readonly number[] | undefined {
    return this.#addends[this.find(i)];
  }

  /** Marks the row class of a stack entry: 1 at settle() unless something fixes it first. */
  preferOne(i: number): void {
    this.#preferOne.push(i);
  }

  /** Makes each class marked by preferOne that nothing fixed 1 (a free name in a stack is a scalar). */
  settle(): void {
    for (const i of this.#preferOne) {
      const root = this.find(i);
      if (this.#value[root] === undefined && this.#rigid[root] === undefined && this.#factors[root] === undefined && this.#addends[root] === undefined) {
        this.unify(root, this.constant(1));
      }
    }
    this.#preferOne.length = 0;
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
    const addends = this.#addends[root];
    if (addends !== undefined) {
      let n = 0;
      for (const a of addends) {
        const v = this.valueOf(a);
        if (v === undefined) return undefined;
        n += v;
      }
      return n;
    }
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
    const addends = this.#addends[root];
    if (addends !== undefined) return this.#combinedSymbol(addends, dimSum);
    const factors = this.#factors[root];
    if (factors === undefined) return this.#rigid[root];
    return this.#combinedSymbol(factors, dimProduct);
  }

  /** A sum's or a product's canonical symbol (n+m, m·p) once every part is known; undefined before. */
  #combinedSymbol(parts: readonly number[], combine: (known: Dim[]) => Dim): string | undefined {
    const known: Dim[] = [];
    for (const part of parts) {
      const d = this.valueOf(part) ?? this.rigidOf(part);
      if (d === undefined) return undefined;
      known.push(d);
    }
    const d = combine(known);
    return typeof d === 'string' ? d : undefined;
  }

  /** The factors of a product class (undefined for any other class): what the namer names one by one. */
  factorsOf(i: number): readonly number[] | undefined {
    return this.#factors[this.find(i)];
  }

  /**
   * Whether the class could still be 1: compatible(i, constant(1)) without making that class (the
   * broadcast tests ask it of every sum's operands). A sum or a product takes the general test.
   */
  canBeOne(i: number): boolean {
    const root = this.find(i);
    if (this.#addends[root] !== undefined || this.#factors[root] !== undefined) return this.compatible(root, this.constant(1));
    const v = this.#value[root];
    return (v === undefined || v === 1) && this.#rigid[root] === undefined && !this.#nonUnit[root];
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
    this.#trail.push(array, i, array[i]);
    array[i] = value;
  }

  #undo(): void {
    this.#undoTo(0);
  }

  #undoTo(mark: number): void {
    const trail = this.#trail;
    for (let k = trail.length - 3; k >= mark; k -= 3) (trail[k] as unknown[])[trail[k + 1] as number] = trail[k + 2];
    this.#trail.length = mark;
  }

  /** The non-product classes a class multiplies out to (itself when it is not a product). */
  #atoms(i: number): number[] {
    const root = this.find(i);
    const factors = this.#factors[root];
    return factors === undefined ? [root] : factors.flatMap((f) => this.#atoms(f));
  }

  /** The non-sum classes a class adds up to (itself when it is not a sum). */
  #summands(i: number): number[] {
    const root = this.find(i);
    const addends = this.#addends[root];
    return addends === undefined ? [root] : addends.flatMap((a) => this.#summands(a));
  }

  #unify(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    if (this.#addends[ra] !== undefined || this.#addends[rb] !== undefined) return this.#unifySum(ra, rb);
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

  /** A sum made equal to another class (see the class comment). */
  #unifySum(ra: number, rb: number): boolean {
    const [p, q] = this.#addends[ra] !== undefined ? [ra, rb] : [rb, ra];
    const free = (c: number) => this.#value[c] === undefined && this.#rigid[c] === undefined && this.#factors[c] === undefined && this.#addends[c] === undefined;
    if (this.#addends[q] === undefined) {
      if (free(q)) {
        // A free class becomes the sum (never one of its own addends: n = n + m).
        if (this.#summands(p).includes(q)) return false;
        this.#set(this.#parent, q, p);
        return true;
      }
      if (this.#value[q] !== undefined) return this.#unifySummands(this.#summands(p), [q]);
      return false;
    }
    if (!this.#unifySummands(this.#summands(p), this.#summands(q))) return false;
    if (this.find(q) !== this.find(p)) this.#set(this.#parent, this.find(q), this.find(p));
    return true;
  }

  /** Two sums of non-sum classes made equal: common addends cancelled, then what is left. */
  #unifySummands(left: readonly number[], right: readonly number[]): boolean {
    const split = (atoms: readonly number[]) => {
      let constant = 0;
      const rest: number[] = [];
      for (const atom of atoms) {
        const v = this.valueOf(atom);
        if (v === undefined) rest.push(this.find(atom));
        else constant += v;
      }
      return { constant, rest };
    };
    // Two stacks of as many blocks: block by block, when that holds ([x; y] under [A, B]).
    if (left.length === right.length) {
      const mark = this.#trail.length;
      if (left.every((x, k) => this.#unify(x, right[k]!))) return true;
      this.#undoTo(mark);
    }
    const l = split(left);
    const r = split(right);
    const same = (x: number, y: number) => this.find(x) === this.find(y) || (this.#rigid[x] !== undefined && this.#rigid[x] === this.#rigid[y]);
    const L = [...l.rest];
    const R: number[] = [];
    for (const y of r.rest) {
      const k = L.findIndex((x) => same(x, y));
      if (k >= 0) L.splice(k, 1);
      else R.push(y);
    }
    const isFree = (c: number) => {
      const root = this.find(c);
      return this.#value[root] === undefined && this.#rigid[root] === undefined && this.#factors[root] === undefined && this.#addends[root] === undefined;
    };
    if (L.length === 0 && R.length === 0) return l.constant === r.constant;
    for (const [one, other, c1, c2] of [[L, R, l.constant, r.constant], [R, L, r.constant, l.constant]] as const) {
      if (other.length === 0) {
        // Only numbers on the other side: the free addends share the difference.
        const gap = c2 - c1;
        if (one.every(isFree) && gap === one.length) return one.every((x) => this.#unify(x, this.constant(1)));
        if (one.length === 1 && isFree(one[0]!) && gap >= 1) return this.#unify(one[0]!, this.constant(gap));
        return false;
      }
      // One free addend left on a side: it is the rest of the other side.
      if (one.length === 1 && isFree(one[0]!) && c1 <= c2) {
        const rest = this.sum([...other, ...(c2 - c1 === 0 ? [] : [this.constant(c2 - c1)])]);
        if (this.#summands(rest).some((x) => this.find(x) === this.find(one[0]!))) return false;
        return this.#unify(one[0]!, rest);
      }
    }
    if (L.length !== R.length || l.constant !== r.constant) return false;
    return L.every((x, k) => this.#unify(x, R[k]!));
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
