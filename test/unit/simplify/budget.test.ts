import { describe, expect, it } from 'vitest';
import { SEARCH_LIMITS, SIMPLIFY_BUDGET } from '../../../src/simplify/budget.js';
import { simplify, simplifyReport } from '../../../src/simplify/simplify.js';
import * as T from '../../../src/term/factory.js';

/**
 * The simplifier's budget (src/simplify/budget.ts): every bound is named in one object, and a limit
 * that stops a search is reported by simplifyReport() without changing the terms.
 */
const square = (name: string) => T.variable(name, ['n', 'n']);
const column = (name: string) => T.variable(name, ['m', 1]);

describe('the simplifier budget', () => {
  it('names every bound, the search limits among them', () => {
    for (const limit of SEARCH_LIMITS) expect(SIMPLIFY_BUDGET[limit]).toBeGreaterThan(0);
    expect(Object.isFrozen(SIMPLIFY_BUDGET)).toBe(true);
  });

  it('reports no limit for a small term, and the same terms as simplify()', () => {
    const t = T.mul([square('A'), T.mul([square('B'), square('C')])]);
    const report = simplifyReport([t]);
    expect(report.limitsHit).toEqual([]);
    expect(report.terms).toEqual(simplify([t]));
  });

  it('reports flattenMax for a nested product longer than the limit, also when memoised and from a parent', () => {
    const long = T.mul(Array.from({ length: SIMPLIFY_BUDGET.flattenMax + 1 }, (_, i) => square(`P${i}`)));
    const t = T.mul([square('Q'), long]);
    const first = simplifyReport([t]);
    expect(first.limitsHit).toEqual(['flattenMax']);
    expect(first.terms).toEqual(simplify([t]));
    expect(simplifyReport([t]).limitsHit).toEqual(['flattenMax']);
    expect(simplifyReport([T.transpose(t)]).limitsHit).toEqual(['flattenMax']);
  });

  it('reports distributeMaxTerms for a long sum with element-wise products over sums', () => {
    const terms = Array.from({ length: SIMPLIFY_BUDGET.distributeMaxTerms + 1 }, (_, i) =>
      T.hmul([T.add([column(`a${i}`), column(`b${i}`)]), column(`c${i}`)]),
    );
    expect(simplifyReport([T.add(terms)]).limitsHit).toContain('distributeMaxTerms');
  });
});
