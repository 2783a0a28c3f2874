import { dimText, isDimProduct, isDimSum } from '../term/dim-product.js';
import type { Report } from '../report.js';
import { derivativeBlocks } from './blocks.js';
import { childrenOf, type Dim, type Shape, type Term } from '../term/term.js';
import { pythonIdentifiers, pythonName } from './numpy.js';
import { emitLatex } from './latex.js';
import { emitText } from './text.js';

/**
 * What every format names alike: the Python identifiers of a report's inputs and the expressions of
 * its dimensions, and f as read.
 */
/**
 * A Python expression for a symbolic dimension: the name `overrides` gives it (a module's parameter),
 * else the first variable that has it (X.shape[0]); a product no variable has is the product of its
 * factors' expressions, `(A.shape[0] * B.shape[0])`.
 */
export function dimExpressions(
  variables: ReadonlyMap<string, Shape>,
  identifiers?: ReadonlyMap<string, string>,
  overrides: ReadonlyMap<string, string> = new Map(),
): (dim: Dim) => string {
  const table = new Map<string, string>();
  for (const [name, shape] of variables) {
    shape.forEach((d, axis) => {
      if (typeof d === 'string' && !table.has(d)) table.set(d, `${identifiers?.get(name) ?? pythonName(name)}.shape[${axis}]`);
    });
  }
  const expr = (dim: Dim): string => {
    if (typeof dim === 'number') return String(dim);
    const named = overrides.get(dim) ?? table.get(dim);
    if (named !== undefined) return named;
    return isDimProduct(dim) || isDimSum(dim) ? `(${dimText(dim, (s) => expr(s), ' * ')})` : dim;
  };
  return expr;
}

/**
 * A generated module's keyword parameters for the free dimensions no input carries (the size of a
 * free `eye`, the inner dimension of 𝟙ᵀA𝟙): `dim_m=4`, defaulting to the size matcalc checked with,
 * and the dimension expressions that use them. Without them the module named an undefined `m`.
 */
export function freeDimParameters(
  variables: ReadonlyMap<string, Shape>,
  sizes: ReadonlyMap<string, number>,
  identifiers: ReadonlyMap<string, string> = pythonIdentifiers(variables.keys()),
): { dimExpr: (dim: Dim) => string; params: string[] } {
  const carried = new Set<string>();
  for (const shape of variables.values()) for (const d of shape) if (typeof d === 'string') carried.add(d);
  const free = [...sizes.keys()].filter((d) => !carried.has(d));
  // `dim_m` unless an input is so named (then `dim_m_`).
  const taken = new Set(identifiers.values());
  const param = new Map(free.map((d) => {
    let name = `dim_${d}`;
    while (taken.has(name)) name += '_';
    taken.add(name);
    return [d, name];
  }));
  const dimExpr = dimExpressions(variables, identifiers, param);
  return { dimExpr, params: free.map((d) => `${param.get(d)!}=${sizes.get(d)}`) };
}

/**
 * The Python identifier of every input and direction of a report, distinct even where two names
 * fold to one (pythonIdentifiers): the modules and the JSON's NumPy expressions use these.
 */
export function reportIdentifiers(report: Pick<Report, 'variables' | 'blocks'>): Map<string, string> {
  const directions = derivativeBlocks(report).flatMap((b) => (b.direction.kind === 'var' ? [b.direction.name] : []));
  return pythonIdentifiers([...report.variables.keys(), ...directions]);
}

/** Beyond this many nodes written out as a tree, f is printed with its definitions instead. */
const INLINE_MAX_NODES = 5_000;

/**
 * f as one line of text and LaTeX: written out in full (the user's definitions inlined) while that
 * stays small, else by the definitions' names followed by `where Y₁ = …, …`. A tower of
 * definitions Yₖ₊₁ = Yₖ ⊙ Yₖ + Yₖ written out doubles with every level. Printed as read
 * (EmitOptions.explicit): the grouping is visible.
 */
export function functionTextLatex(f: Term, names: ReadonlyMap<Term, string>): { text: string; latex: string } {
  return { text: functionAsRead(f, names, 'text'), latex: functionAsRead(f, names, 'latex') };
}

/** f as read, in one notation (the CLI's `f = …` line needs the text only). */
export function functionAsRead(f: Term, names: ReadonlyMap<Term, string>, notation: 'text' | 'latex'): string {
  const emit = notation === 'text' ? emitText : emitLatex;
  if (treeSizeAtMost(f, INLINE_MAX_NODES) <= INLINE_MAX_NODES) return emit([f], { names, share: false, explicit: true }).main[0]!;
  const e = emit([f], { names, share: 'names', explicit: true });
  return notation === 'text'
    ? `${e.main[0]!} where ${e.where.map((w) => `${w.name} = ${w.text}`).join(', ')}`
    : `${e.main[0]!} \\quad\\text{where } ${e.where.map((w) => `${w.name} = ${w.text}`).join(',\\ ')}`;
}

/**
 * The number of nodes of a term written out as a tree, counted up to `limit` + 1: a depth-first walk
 * of the tree (shared nodes visited once per occurrence) that stops at the first node past the limit,
 * so it visits at most `limit` + 1 nodes however big the DAG (a memo over the whole DAG cost ~5 % of a
 * 1 MB input's time).
 */
function treeSizeAtMost(root: Term, limit: number): number {
  const pending: Term[] = [root];
  let n = 0;
  while (pending.length > 0 && n <= limit) {
    n++;
    const children = childrenOf(pending.pop()!);
    // Each pending node counts at least one: a sum of 50,000 terms is past the limit without listing them.
    if (n + pending.length + children.length > limit) return limit + 1;
    for (const c of children) pending.push(c);
  }
  return n;
}

export type { Term };
