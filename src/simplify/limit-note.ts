import { SEARCH_LIMITS, SIMPLIFY_BUDGET, type SearchLimit } from './budget.js';

/**
 * What a report says when a search limit of the simplifier's budget (budget.ts) stopped a search
 * while simplifying the answer it prints: which limit, and what it means for the reader — the form
 * is a correct identity but may not be the smallest one. One phrase per limit, written as data.
 */
const WHAT_STOPPED: Readonly<Record<SearchLimit, string>> = {
  flattenMax: `a product longer than ${SIMPLIFY_BUDGET.flattenMax} factors was not flattened`,
  repeatTokensMax: `a product longer than ${SIMPLIFY_BUDGET.repeatTokensMax} factors written out was not searched for repeated blocks`,
  distributeMaxSize: `a term larger than ${SIMPLIFY_BUDGET.distributeMaxSize} nodes was not tried distributed`,
  distributeMaxTerms: `a sum of more than ${SIMPLIFY_BUDGET.distributeMaxTerms} terms was not tried distributed`,
  distributeMaxMonomials: `distributing a sum stopped at ${SIMPLIFY_BUDGET.distributeMaxMonomials} monomials`,
  distributeMaxDepth: `distributing stopped ${SIMPLIFY_BUDGET.distributeMaxDepth} levels deep`,
  distributeMaxSumTerms: `an element-wise factor that is a sum of more than ${SIMPLIFY_BUDGET.distributeMaxSumTerms} terms was not distributed over`,
  factorRounds: `factoring a sum stopped after its rounds (${SIMPLIFY_BUDGET.factorRounds}, or ${SIMPLIFY_BUDGET.factorRoundsLargeSum} for a sum of more than ${SIMPLIFY_BUDGET.largeSum} terms)`,
};

/**
 * Limits not worth a note: distributeMaxDepth cuts the search for a smaller distributed form inside
 * a search already under way (every shallower candidate was tried), and it is reached on everyday
 * answers (the logistic loss's Xᵀ(σ(Xw) − y), any nested σ′) whose form is the notes' own, where a
 * note that the form may not be the smallest would mislead more than it tells.
 */
const NOT_NOTED: ReadonlySet<SearchLimit> = new Set(['distributeMaxDepth']);

/** The note for the limits hit (said in the budget's order), or undefined when none was. */
export function searchLimitNote(limitsHit: Iterable<SearchLimit>): string | undefined {
  const hit = new Set(limitsHit);
  const which = SEARCH_LIMITS.filter((limit) => hit.has(limit) && !NOT_NOTED.has(limit)).map((limit) => `${limit} (${WHAT_STOPPED[limit]})`);
  if (which.length === 0) return undefined;
  const noun = which.length === 1 ? 'search limit' : 'search limits';
  return `the simplifier's ${noun} ${which.join('; ')} stopped a search: the form printed is correct but may not be the smallest`;
}
