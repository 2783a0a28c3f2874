import type { LocalRuleIndex } from '../rewrite/local-rules.js';
import type { ElementwiseFn, OpName, ReductionKind, Shape, Term } from '../term/term.js';
import type { SearchLimit } from './budget.js';
import type { ByTerm, NumberByTerm } from './by-term.js';

/**
 * The simplifier as its parts see it: types only, no code. Each concern module (products, sums,
 * factoring, element-wise, transposes, properties, reductions, local rules, presentation) takes a
 * `Simplifier` and reaches every other operation through it, so the modules import this file and
 * not the object that routes between them (simplifier.ts implements it; simplify.ts creates one per
 * set of assumptions). No module of the folder imports another in a loop.
 */

/** The assumptions a simplifier runs under. */
export interface SimplifyContext {
  /** Variables assumed symmetric (symmetric, spd or diagonal): Sᵀ = S. */
  readonly symmetric: ReadonlySet<string>;
  /**
   * The user's definitions (Y = σ(WX)): a sum they name is kept as one term where it is used, not
   * flattened into the sums around it, so Yₖ₊₁ = tanh(Yₖ) + Yₖ stays that (and stays linear).
   */
  readonly definitions?: ReadonlySet<Term>;
  /** Variables assumed positive (entrywise): |x| = x, sign(x) = 𝟙. */
  readonly positive?: ReadonlySet<string>;
  /** Variables assumed probability vectors (entries ≥ 0 summing to 1): sum(y) = 𝟙ᵀy = 1. */
  readonly probability?: ReadonlySet<string>;
  /** Variables assumed row-stochastic (each row ≥ 0 summing to 1, a batch of labels): Y𝟙 = 𝟙. */
  readonly rowStochastic?: ReadonlySet<string>;
  /** Variables assumed column-stochastic (each column ≥ 0 summing to 1): 𝟙ᵀY = 𝟙ᵀ. */
  readonly columnStochastic?: ReadonlySet<string>;
  /** Variables assumed sign (entries ±1, labels): y ⊙ y = 𝟙, y.^3 = y. */
  readonly sign?: ReadonlySet<string>;
}

/** A canonical term split into numeric coefficient, scalar factors and matrix chain (products.ts). */
export interface Parts {
  readonly coef: number;
  readonly scalars: readonly Term[];
  readonly chain: readonly Term[];
}

/** A term of a sum as factoring sees it: its coefficient and the rest (factoring.ts, sums.ts). */
export interface Entry {
  rest: Term;
  c: number;
}

/** The heads local rules can have: the operations that ask for them (local.ts). */
export type LocalHeadKind = 'transpose' | 'inv' | 'trace' | 'det' | 'logdet' | 'sum' | 'norm1' | 'norm2' | 'diag' | 'diagm' | 'inner' | 'hdiv' | 'epow' | 'fn' | 'op';

/** A step recorded while simplifying a node; run() fills in the terms a step was recorded without. */
export interface PendingStep {
  readonly rule: string;
  before?: Term;
  after?: Term;
}

/** The searches under way, which results built inside them depend on (simplifier.ts). */
export interface SearchFlags {
  expandingSum: boolean;
  distributing: number;
  pulling: boolean;
  warmingTransposes: boolean;
  commonDenominator: boolean;
}

/** The simplifier's memos, search state and operations; simplifier.ts documents each. */
export interface Simplifier {
  readonly context: SimplifyContext;
  readonly memo: ByTerm<Term>;
  readonly presented: ByTerm<Term>;
  readonly kept: Set<Term>;
  readonly partsMemo: ByTerm<Parts>;
  readonly symmetricMemo: ByTerm<boolean>;
  readonly positiveMemo: ByTerm<boolean>;
  readonly transposed: ByTerm<Term>;
  readonly transposedInSearch: Map<number, Map<Term, Term>>;
  readonly transposedCounts: NumberByTerm;
  readonly distributed: Map<number, Map<Term, Term>>;
  readonly search: SearchFlags;
  readonly limitsHit: Map<Term, ReadonlySet<SearchLimit>>;
  readonly localRules: LocalRuleIndex;
  readonly tracing: boolean;

  run(root: Term): Term;
  canon(t: Term, kids: readonly Term[]): Term;
  applied<R extends Term | undefined>(rule: string, before?: () => Term, after?: R): R;
  stepMark(): number;
  dropStepsAfter(mark: number): void;
  stepsSince(mark: number): readonly PendingStep[];
  restoreSteps(saved: readonly PendingStep[]): void;
  rewriteLocal(kind: LocalHeadKind, a: Term, b?: Term, fn?: string): Term | undefined;
  limitHit(limit: SearchLimit): void;
  searchState(): number;
  memoInState(byState: Map<number, Map<Term, Term>>, state: number): Map<Term, Term>;

  // products.ts, chains.ts (compressChain, fromPower)
  parts(t: Term): Parts;
  mul(factors: readonly Term[]): Term;
  compressChain(chain: readonly Term[], shape: Shape): Term[];
  fromPower(base: Term, k: number): Term;
  scale(c: number, t: Term): Term;
  inv(x: Term): Term;
  mpow(x: Term, k: number): Term;
  // sums.ts, factoring.ts
  add(terms: readonly Term[], shape: Shape): Term;
  addPlain(terms: readonly Term[], shape: Shape): Term;
  distributable(t: Term): boolean;
  distributeAll(t: Term, out: Term[], limit: number): boolean;
  factorOnce(entries: readonly Entry[], shape: Shape, sumsOnly?: boolean): Entry[] | undefined;
  // elementwise.ts
  hmul(factors: readonly Term[], shape: Shape): Term;
  hdiv(a: Term, b: Term): Term;
  elementwise(numerators: readonly Term[], denominators: readonly Term[], shape: Shape): Term;
  tryDistribute(core: Term, top: readonly Term[], bottom: readonly Term[], shape: Shape): Term;
  epow(base: Term, exponent: Term): Term;
  fn(name: ElementwiseFn, x: Term): Term;
  // transposes.ts
  transpose(x: Term): Term;
  transposedCount(t: Term): number;
  pullOutTranspose(core: Term): Term;
  // properties.ts
  isPositive(t: Term): boolean;
  isSymmetric(t: Term): boolean;
  transposeShallow(t: Term): Term;
  // reductions.ts
  reduce(kind: ReductionKind, x: Term): Term;
  trace(x: Term): Term;
  inner(a: Term, b: Term): Term;
  diag(x: Term): Term;
  diagm(x: Term): Term;
  op(name: OpName, args: readonly Term[]): Term;
}
