import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';
import { SEARCH_LIMITS, SIMPLIFY_BUDGET, unionOfLimits, type SearchLimit } from './budget.js';
import { presentWith } from './presentation.js';
import { SimplifierCore } from './simplifier.js';
import type { SimplifyContext } from './simplifier-types.js';

export { SIMPLIFY_BUDGET, type SearchLimit, type SimplifyBudget } from './budget.js';
export type { SimplifyContext } from './simplifier-types.js';

/**
 * The simplifier: from a raw adjoint to textbook form (ENGINE.md §4). This module is its entry:
 * the assumptions it runs under, and one simplifier (one memo) per set of assumptions.
 *
 * It is a normal form computed bottom-up, once per hash-consed node (memoised, iterative over the
 * DAG): each node is rebuilt from its already simplified children by a `canon…` function that only
 * looks a bounded distance below it (budget.ts). The normal form, by module:
 * - sums.ts, factoring.ts: flat, like terms collected by identity (c₁T + c₂T), common left/right
 *   factors and common scalar factors pulled out when a group of ≥ 2 terms shares one
 *   (MY + MᵀY → (M + Mᵀ)Y), ordered;
 * - products.ts: flat, numeric coefficient first, then scalar factors as a monomial (det(X)⁻¹·det(X)
 *   cancels), then the matrix chain (chains.ts) with identities dropped, runs compressed to powers
 *   (X X → X², X⁻¹X → I, ABAB → (AB)²) and Diag(a)v → a ⊙ v;
 * - transposes.ts: transposes pushed through products to the leaves ((AB)ᵀ = BᵀAᵀ), gone on scalars
 *   and on symmetric terms (properties.ts), kept on sums and element-wise results ((Ax − y)ᵀ reads
 *   better than xᵀAᵀ − yᵀ);
 * - elementwise.ts: Hadamard products flat and ordered, with scalars pulled out and x ⊙ x → x.^2;
 *   constants folded only where exact;
 * - reductions.ts: traces rotated canonically (and to a scalar product where one exists:
 *   tr(xyᵀ) = yᵀx);
 * - presentation.ts: the last touch for display, on results only.
 * It never expands a product over a sum: that is what keeps 2Aᵀ(Ax − y) from becoming 2AᵀAx − 2Aᵀy.
 * Every rewrite is an identity named in rules/simplify.rules (the id in a comment where it is
 * applied); tests compare values before and after on random inputs.
 */

const NO_NAMES: ReadonlySet<string> = new Set();

/** The context of a problem: the variables its --assume properties name, and its user's definitions. */
export function simplifyContext(assumptions: ReadonlyMap<string, ReadonlySet<string>>, symmetric: ReadonlySet<string>, definitions: Iterable<Term>): SimplifyContext {
  // No assumptions (most requests): one empty set for every property, none made per call.
  const having = (property: string): ReadonlySet<string> => (assumptions.size === 0 ? NO_NAMES : new Set([...assumptions].filter(([, p]) => p.has(property)).map(([n]) => n)));
  return {
    symmetric,
    positive: having('positive'),
    probability: having('probability'),
    rowStochastic: having('row-stochastic'),
    columnStochastic: having('column-stochastic'),
    sign: having('sign'),
    definitions: new Set(definitions),
  };
}

/** The normal forms, and the search limits (budget.ts) that stopped a search somewhere below them. */
export interface SimplifyReport {
  readonly terms: Term[];
  /** In the budget's order; empty when no limit was reached. */
  readonly limitsHit: readonly SearchLimit[];
}

let simplifiers = new Map<string, SimplifierCore>();

/** Simplifies terms, sharing one memo per set of assumptions for the life of the process. */
export function simplify(roots: readonly Term[], context: SimplifyContext = { symmetric: new Set() }): Term[] {
  const simplifier = simplifierFor(context);
  return roots.map((r) => simplifier.run(r));
}

/**
 * simplify(), and which search limits stopped a search while simplifying the roots (or, in an
 * earlier call of the same process, the parts of them it shares): the terms are the same as
 * simplify()'s; a caller that reports on its output can say that the simplifier gave up early.
 */
export function simplifyReport(roots: readonly Term[], context: SimplifyContext = { symmetric: new Set() }): SimplifyReport {
  const simplifier = simplifierFor(context);
  const terms = roots.map((r) => simplifier.run(r));
  let hit: ReadonlySet<SearchLimit> | undefined;
  for (const r of roots) hit = unionOfLimits(hit, simplifier.limitsHit.get(r));
  return { terms, limitsHit: SEARCH_LIMITS.filter((limit) => hit?.has(limit) ?? false) };
}

/** The simplifier of a context object already seen: callers reuse one context for many calls. */
let byContext = new WeakMap<SimplifyContext, SimplifierCore>();

function simplifierFor(context: SimplifyContext): SimplifierCore {
  const seen = byContext.get(context);
  if (seen !== undefined) return seen;
  const simplifier = simplifierForKey(context);
  byContext.set(context, simplifier);
  return simplifier;
}

type AssumptionField = Exclude<keyof SimplifyContext, 'definitions'>;
/**
 * The assumption sets of a context, in the order of its key. A record, so that a field added to
 * SimplifyContext and missing here is a type error (a key that ignored it would share a simplifier
 * between contexts that differ, and one that is never the plain key rebuilds the simplifier per call).
 */
const ASSUMPTIONS: Record<AssumptionField, true> = { symmetric: true, positive: true, probability: true, rowStochastic: true, columnStochastic: true, sign: true };
const ASSUMPTION_FIELDS = Object.keys(ASSUMPTIONS) as AssumptionField[];

/** The key of a context that assumes nothing and defines nothing (most requests). */
const PLAIN_KEY = contextKey({ symmetric: new Set() });

function contextKey(context: SimplifyContext): string {
  const definitions = [...(context.definitions ?? [])].map((t) => t.id).join(',');
  const names = (set: ReadonlySet<string> | undefined) => [...(set ?? [])].sort().join(',');
  return ASSUMPTION_FIELDS.map((field) => names(context[field])).join('|') + `|${definitions}`;
}

function isPlain(context: SimplifyContext): boolean {
  return ASSUMPTION_FIELDS.every((field) => (context[field]?.size ?? 0) === 0) && (context.definitions?.size ?? 0) === 0;
}

function simplifierForKey(context: SimplifyContext): SimplifierCore {
  const key = isPlain(context) ? PLAIN_KEY : contextKey(context);
  const definitions = (context.definitions?.size ?? 0) > 0;
  let simplifier = simplifiers.get(key);
  if (!simplifier) {
    // One memo per context; contexts with definitions are per expression, so keep few of them.
    if (definitions && simplifiers.size > SIMPLIFY_BUDGET.contextsWithDefinitions) simplifiers = new Map();
    simplifier = new SimplifierCore(context);
    simplifiers.set(key, simplifier);
  }
  return simplifier;
}

/** One rewrite: the id of its identity in rules/simplify.rules, and the term before and after. */
export interface SimplifyStep {
  readonly rule: string;
  /**
   * What the identity applied to. For a local identity (applied from the file) and the rewrites code
   * makes node by node, the term it matched; for the identities a normal form applies in one pass
   * (flattening, collecting, ordering a sum or a product), the node with its operands simplified.
   */
  readonly before: Term;
  /** Its result, in normal form (for a one-pass normal form, the node's normal form). */
  readonly after: Term;
}

export interface SimplifyWithSteps {
  /** The normal form: the same term simplify() gives. */
  readonly result: Term;
  /** The rewrites in the order they were applied, each node of the DAG once, children first. */
  readonly steps: readonly SimplifyStep[];
}

/**
 * simplify() of one term, recording the rewrites it applies (ENGINE.md §3: a derivation ends with its
 * tidying steps). A simplifier of its own, with an empty memo, so that every step under the term is
 * seen even when the process simplified it before; the steps of a search branch that is not kept
 * are dropped. Recording is off in simplify(), where it costs one check per rewrite.
 */
export function simplifyWithSteps(term: Term, context: SimplifyContext = { symmetric: new Set() }): SimplifyWithSteps {
  const simplifier = new SimplifierCore(context, { recordSteps: true });
  const result = simplifier.run(term);
  return { result, steps: simplifier.steps() };
}

/**
 * The last touch for display (presentation.ts): sums folded back under one transpose where that
 * removes transposes, (x − m)ᵀ rather than xᵀ − mᵀ. Changes no value; for results only.
 */
export function present(roots: readonly Term[], context: SimplifyContext = { symmetric: new Set() }): Term[] {
  return presentWith(simplifierFor(context), roots);
}

/**
 * The simplifier of the plain context (no assumptions, no definitions: most requests) outlives a
 * reset, its memos emptied: what it keeps then is its rules and tables, which depend on no request,
 * and a fresh call does not build them again. Every other simplifier is dropped, with a new map
 * rather than a cleared one (Map.clear() on a map in V8's old generation leaves the dropped
 * simplifiers, and their terms, in the old table until a full collection: term/tables.ts, resetTerms).
 */
T.onTermsReset(() => {
  const plain = simplifiers.get(PLAIN_KEY);
  simplifiers = new Map();
  if (plain !== undefined && !plain.tracing) {
    plain.forgetTerms();
    simplifiers.set(PLAIN_KEY, plain);
  }
  byContext = new WeakMap();
});
