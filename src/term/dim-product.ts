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

/** Whether a dimension is a product of more than one factor (a symbol with a coefficient included). */
export function isDimProduct(d: Dim): d is string {
  return typeof d === 'string' && d.includes(DIM_TIMES);
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
  return [...new Set(dimFactors(d).symbols)];
}

/** A dimension's size, given a size for each symbol; undefined when a symbol has none. */
export function dimSize(d: Dim, sizes: ReadonlyMap<string, number>): number | undefined {
  if (typeof d === 'number') return d;
  const single = sizes.get(d);
  if (single !== undefined) return single;
  let n = 1;
  for (const part of d.split(DIM_TIMES)) {
    const size = /^\d+$/.test(part) ? Number(part) : sizes.get(part);
    if (size === undefined) return undefined;
    n *= size;
  }
  return n;
}

/** A dimension printed with each symbol through `name` and the factors joined by `times` (m·p → `m p`). */
export function dimText(d: Dim, name: (symbol: string) => string, times: string): string {
  if (typeof d === 'number') return String(d);
  return d.split(DIM_TIMES).map((part) => (/^\d+$/.test(part) ? part : name(part))).join(times);
}
