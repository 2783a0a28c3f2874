import type { Dim } from './types.js';

/**
 * Products of dimensions (the Kronecker product's mp × nq, vec's mn × 1), kept in the one Dim type a
 * shape has: a product of symbols is the string of its factors joined by `·`, in one canonical
 * order — a number coefficient first (only when it is not 1), then the symbols sorted — so two
 * products are equal exactly when their factors agree as multisets with the numbers multiplied, and
 * `===` on dimensions stays the test of equal shapes. A product of numbers is its number; a product
 * with a single symbol and no coefficient is that symbol. A symbol never contains `·` (dimension
 * names are identifiers), so the factors are read back by splitting. Design: docs/kronecker.md.
 */
export const DIM_TIMES = '·';

/** The factors of a dimension: the number that multiplies it, and its symbols (sorted, repeats kept). */
export interface DimFactors {
  readonly coefficient: number;
  readonly symbols: readonly string[];
}

export function dimFactors(d: Dim): DimFactors {
  if (typeof d === 'number') return { coefficient: d, symbols: [] };
  let coefficient = 1;
  const symbols: string[] = [];
  for (const part of d.split(DIM_TIMES)) {
    if (/^\d+$/.test(part)) coefficient *= Number(part);
    else symbols.push(part);
  }
  return { coefficient, symbols: symbols.sort() };
}

/** The canonical product of dimensions (numbers multiplied, symbols sorted). */
export function dimProduct(ds: readonly Dim[]): Dim {
  let coefficient = 1;
  const symbols: string[] = [];
  for (const d of ds) {
    const f = dimFactors(d);
    coefficient *= f.coefficient;
    symbols.push(...f.symbols);
  }
  if (coefficient === 0 || symbols.length === 0) return coefficient;
  symbols.sort();
  if (coefficient === 1 && symbols.length === 1) return symbols[0]!;
  return [...(coefficient === 1 ? [] : [String(coefficient)]), ...symbols].join(DIM_TIMES);
}

/** Whether a dimension is a product of more than one factor (a symbol with a coefficient included); never a sum. */
export function isDimProduct(d: Dim): d is string {
  return typeof d === 'string' && d.includes(DIM_TIMES) && !d.includes(DIM_PLUS);
}

/**
 * Sums of dimensions (a block vector [x; y] has n + m rows), kept in the same Dim type: the string
 * of its addends joined by `+`, each addend a symbol or a canonical product, sorted, with the sum of
 * its numbers last (only when it is not 0) — so two sums are equal exactly when their addends agree
 * as multisets with the numbers added, and `===` stays the test of equal shapes. A sum of numbers is
 * its number; a sum of one addend and no number is that addend. A product never contains a sum (a
 * sum is a factor of nothing here: its product is taken as an opaque symbol).
 */
export const DIM_PLUS = '+';

/** Whether a dimension is a sum of more than one addend (n+m, n+1). */
export function isDimSum(d: Dim): boolean {
  return typeof d === 'string' && d.includes(DIM_PLUS);
}

/** The addends of a dimension: its symbolic addends (sorted, repeats kept) and the sum of its numbers. */
export function dimAddends(d: Dim): { readonly constant: number; readonly terms: readonly string[] } {
  if (typeof d === 'number') return { constant: d, terms: [] };
  let constant = 0;
  const terms: string[] = [];
  for (const part of d.split(DIM_PLUS)) {
    if (/^\d+$/.test(part)) constant += Number(part);
    else terms.push(part);
  }
  return { constant, terms: terms.sort() };
}

/** The canonical sum of dimensions (numbers added, symbolic addends sorted, a sum's addends flattened). */
export function dimSum(ds: readonly Dim[]): Dim {
  let constant = 0;
  const terms: string[] = [];
  for (const d of ds) {
    const a = dimAddends(d);
    constant += a.constant;
    terms.push(...a.terms);
  }
  if (terms.length === 0) return constant;
  terms.sort();
  if (constant === 0 && terms.length === 1) return terms[0]!;
  return [...terms, ...(constant === 0 ? [] : [String(constant)])].join(DIM_PLUS);
}

/**
 * d divided by `by`: the dimension whose product with `by` is d, when `by`'s symbols are among d's and
 * its number divides d's; undefined otherwise (m·p / p = m; 6 / 2 = 3; m / p has none).
 */
export function dimQuotient(d: Dim, by: Dim): Dim | undefined {
  const a = dimFactors(d);
  const b = dimFactors(by);
  if (b.coefficient === 0 || a.coefficient % b.coefficient !== 0) return undefined;
  const rest = [...a.symbols];
  for (const s of b.symbols) {
    const i = rest.indexOf(s);
    if (i < 0) return undefined;
    rest.splice(i, 1);
  }
  return dimProduct([a.coefficient / b.coefficient, ...rest]);
}

/** The symbols a dimension is made of (each once): what the check must choose a size for. */
export function dimSymbols(d: Dim): string[] {
  if (isDimSum(d)) return [...new Set(dimAddends(d).terms.flatMap((t) => dimFactors(t).symbols))];
  return [...new Set(dimFactors(d).symbols)];
}

/** A dimension's size, given a size for each symbol; undefined when a symbol has none. */
export function dimSize(d: Dim, sizes: ReadonlyMap<string, number>): number | undefined {
  if (typeof d === 'number') return d;
  const single = sizes.get(d);
  if (single !== undefined) return single;
  if (isDimSum(d)) {
    const { constant, terms } = dimAddends(d);
    let total = constant;
    for (const t of terms) {
      const size = dimSize(t, sizes);
      if (size === undefined) return undefined;
      total += size;
    }
    return total;
  }
  let n = 1;
  for (const part of d.split(DIM_TIMES)) {
    const size = /^\d+$/.test(part) ? Number(part) : sizes.get(part);
    if (size === undefined) return undefined;
    n *= size;
  }
  return n;
}

/** A dimension printed with each symbol through `name` and the factors joined by `times` (m·p → `m p`). */
export function dimText(d: Dim, name: (symbol: string) => string, times: string, plus = ' + '): string {
  if (typeof d === 'number') return String(d);
  if (isDimSum(d)) return d.split(DIM_PLUS).map((part) => dimText(part, name, times)).join(plus);
  return d.split(DIM_TIMES).map((part) => (/^\d+$/.test(part) ? part : name(part))).join(times);
}
