/**
 * Names for the dimension classes the table leaves free, apart from the table itself (dims.ts):
 * naming happens once, after inference, and only reads the table.
 */
import { dimProduct, dimSum } from '../term/dim-product.js';
import type { Dim } from '../term/term.js';
import type { DimTable } from './dims.js';

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
    const addends = this.table.addendsOf(i);
    if (addends !== undefined) return dimSum(addends.map((a) => this.dim(a)));
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
