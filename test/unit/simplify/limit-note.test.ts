import { describe, expect, it } from 'vitest';
import { derivative, gradient } from '../../../src/pipeline.js';
import { SEARCH_LIMITS, SIMPLIFY_BUDGET } from '../../../src/simplify/budget.js';
import { searchLimitNote } from '../../../src/simplify/limit-note.js';

/**
 * When a search limit of the simplifier's budget stops a search on the answer a report prints, the
 * report's notes say which limit and what it means (the form may not be the smallest).
 */
const factors = SIMPLIFY_BUDGET.flattenMax + 2;
/** tr(Q(P₀P₁…)): the gradient in Q is a product longer than flattenMax, nested under a transpose. */
const longChain = `tr(Q*(${Array.from({ length: factors }, (_, i) => `P${i}`).join('*')}))`;

describe('the search-limit note', () => {
  it('names the limit, what it stopped, and what that means', () => {
    const note = searchLimitNote(['flattenMax'])!;
    expect(note).toContain('flattenMax');
    expect(note).toContain(`longer than ${SIMPLIFY_BUDGET.flattenMax} factors`);
    expect(note).toMatch(/may not be the smallest/);
    expect(searchLimitNote([])).toBeUndefined();
  });

  it('has a phrase for every search limit noted, said in the budget order', () => {
    const note = searchLimitNote([...SEARCH_LIMITS].reverse())!;
    const noted = SEARCH_LIMITS.filter((limit) => limit !== 'distributeMaxDepth');
    const positions = noted.map((limit) => note.indexOf(`${limit} (`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(note).not.toContain('undefined');
    // The recursion depth of a search under way is not noted (limit-note.ts, NOT_NOTED).
    expect(searchLimitNote(['distributeMaxDepth'])).toBeUndefined();
  });

  it('is in a gradient report whose answer hit a limit, and only there', () => {
    const long = gradient({ expression: longChain, wrt: 'Q', check: false });
    if (!long.ok) throw new Error(long.diagnostics[0]!.message);
    expect(long.value.notes.filter((n) => n.includes('flattenMax'))).toHaveLength(1);
    const short = gradient({ expression: "x'*A*x", wrt: 'x', check: false });
    if (!short.ok) throw new Error(short.diagnostics[0]!.message);
    expect(short.value.notes.some((n) => n.includes('search limit'))).toBe(false);
  });

  it('is in a differential report whose answer hit a limit', () => {
    const r = derivative({ command: 'diff', expression: longChain, wrt: 'Q', check: false });
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    expect(r.value.notes.some((n) => n.includes('flattenMax'))).toBe(true);
  });
});
