/**
 * The simplifier's budget: every bound that limits how far it looks, in one place, with its reason.
 *
 * The normal form is computed once per hash-consed node, and each node looks only a bounded distance
 * below itself; these bounds are what keep the whole pass linear in the size of the DAG. Some of
 * them stop a search that could have found a smaller form (a longer product is not flattened, a
 * larger sum is not distributed): then the output is still a correct identity, but it may differ
 * from what an unbounded search would give. Those limits are `searchLimits`; when one of them stops
 * a search the simplifier records it (`SimplifyReport.limitsHit`), so that the caller can say so.
 * The other bounds change no result (when work is done, how much memory is kept) or are a heuristic
 * threshold rather than a search limit.
 */
export interface SimplifyBudget {
  /**
   * Nested products and Hadamard products are flattened into their parent only up to this many
   * operands (sums up to twice as many); a longer one stays one operand. Flattening a chain of k
   * nested nodes costs O(k²) in total (each level copies the one below), so this bound is what keeps
   * deep chains (a 500-layer product, a residual network's adjoints) linear.
   */
  readonly flattenMax: number;
  /**
   * Repeated blocks in a product are written as powers (ABAB = (AB)², chains.ts) only when the
   * product, its powers of products written out, has at most this many factors: the search for
   * repeats is quadratic in that length in the worst case.
   */
  readonly repeatTokensMax: number;
  /**
   * Terms taller than this get the transposes below them built bottom-up before their own
   * (transposes.ts, warmTransposes), so that transposing never recurses once per level. Changes no
   * result: transposes are a pure function of the term.
   */
  readonly deepTerm: number;
  /** The largest term (as a tree) in which element-wise products are tried distributed over sums. */
  readonly distributeMaxSize: number;
  /** A sum of more terms than this is not tried fully distributed (sums.ts, add). */
  readonly distributeMaxTerms: number;
  /** Fully distributing a sum stops (and keeps the sum) beyond this many monomials. */
  readonly distributeMaxMonomials: number;
  /**
   * tryDistribute recurses (distributing one sum exposes others); deeper than this it stops. With
   * distributeMaxSize this makes the search O(1) per node: a tower Yₖ₊₁ = Yₖ ⊙ Yₖ + Yₖ would
   * otherwise expand into an exponential polynomial.
   */
  readonly distributeMaxDepth: number;
  /** A Hadamard factor that is a sum of more terms than this is not distributed over. */
  readonly distributeMaxSumTerms: number;
  /** Rounds of factoring (factoring.ts, factorOnce) per sum; each round is linear in its terms. */
  readonly factorRounds: number;
  /** A sum of more terms than this is a large sum: it gets `factorRoundsLargeSum` rounds only. */
  readonly largeSum: number;
  readonly factorRoundsLargeSum: number;
  /**
   * A term standing alone is noted as a possible common Hadamard factor (G + G ⊙ a = G ⊙ (𝟙 + a))
   * only from this tree size on: a heuristic threshold (factoring a small G saves nothing), not a
   * search limit.
   */
  readonly hadamardFactorMinSize: number;
  /**
   * Simplifiers (each with its memo) kept for contexts with user definitions, which are per
   * expression; beyond this many the cache is emptied. Memory only: results are the same.
   */
  readonly contextsWithDefinitions: number;
}

export const SIMPLIFY_BUDGET: SimplifyBudget = Object.freeze({
  flattenMax: 32,
  repeatTokensMax: 2048,
  deepTerm: 400,
  distributeMaxSize: 60,
  distributeMaxTerms: 16,
  distributeMaxMonomials: 64,
  distributeMaxDepth: 4,
  distributeMaxSumTerms: 6,
  factorRounds: 64,
  largeSum: 400,
  factorRoundsLargeSum: 4,
  hadamardFactorMinSize: 8,
  contextsWithDefinitions: 64,
});

/** The limits that can stop a search for a smaller form: hitting one is recorded. */
export const SEARCH_LIMITS = [
  'flattenMax',
  'repeatTokensMax',
  'distributeMaxSize',
  'distributeMaxTerms',
  'distributeMaxMonomials',
  'distributeMaxDepth',
  'distributeMaxSumTerms',
  'factorRounds',
] as const satisfies readonly (keyof SimplifyBudget)[];

export type SearchLimit = (typeof SEARCH_LIMITS)[number];

/** The union of two sets of limits hit, never mutating either (the sets are shared between nodes). */
export function unionOfLimits(
  a: ReadonlySet<SearchLimit> | undefined,
  b: ReadonlySet<SearchLimit> | undefined,
): ReadonlySet<SearchLimit> | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  for (const limit of b) if (!a.has(limit)) return new Set([...a, ...b]);
  return a;
}
