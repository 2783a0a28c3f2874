import { describe, expect, test } from 'vitest';
import { renderTerms } from '../../../src/emit/derivation.js';
import { TIDY_POLICY, tidySum } from '../../../src/emit/tidy-steps.js';
import { gradient, run } from '../../../src/pipeline.js';
import { isForwardRule, listRules } from '../../../src/rewrite/listing.js';
import { loadRulebook } from '../../../src/rewrite/load-rules.js';
import * as T from '../../../src/term/factory.js';
import { DERIVATIVE_DIRS, derivativeRequest, GOLDEN_DIRS, listExamples } from '../../helpers/examples.js';

/**
 * The derivation shows the tidying of a gathered sum as steps named by their simplification rules
 * (ENGINE.md §3): ⟨Aᵀx, dx⟩ + ⟨Ax, dx⟩ = ⟨(A + Aᵀ)x, dx⟩ by simp.factor-right.
 */
function steps(expression: string, wrt: string) {
  const r = gradient({ expression, wrt, check: false, steps: true });
  if (!r.ok) throw new Error(r.diagnostics[0]!.message);
  return r.value;
}

const A = T.variable('A', ['n', 'n']);
const x = T.variable('x', ['n', 1]);
const context = { symmetric: new Set<string>() };
const line = (c: ReturnType<typeof T.add>) => renderTerms([{ coefficient: c, node: x }], new Map());

describe('the tidying steps', () => {
  test("x'Ax: the gathered sum is tidied by factoring on the right, and the line names it", () => {
    const report = steps("x'*A*x", 'x');
    const last = report.steps!.at(-1)!;
    expect(last.text).toBe('⟨(A + Aᵀ)x, dx⟩');
    expect(last.rule.split(' ')).toContain('simp.factor-right');
    // The line before shows the two contributions the tidying starts from.
    expect(report.steps!.at(-2)!.text).toBe('⟨Aᵀx, dx⟩ + ⟨Ax, dx⟩');
  });

  test('reordering is not named when another rule did the work', () => {
    const t = tidySum([T.mul([T.transpose(A), x]), T.mul([A, x])], context, line);
    expect(t.lines).toHaveLength(1);
    expect(t.lines[0]!.rule).not.toMatch(/simp\.add-commute/);
    expect(line(t.lines[0]!.coefficient)).toBe('⟨(A + Aᵀ)x, dx⟩');
  });

  test('a sum that is already tidy has no tidying lines (the gather line stays)', () => {
    const t = tidySum([T.mul([A, x]), x], context, line);
    expect(t.lines).toEqual([]);
    expect(t.omitted).toBe(0);
  });

  test('past the cap the lines are counted, and the derivation says so', () => {
    const t = tidySum([T.mul([T.transpose(A), x]), T.mul([A, x])], context, line, { ...TIDY_POLICY, maxLines: 0 });
    expect(t.lines).toEqual([]);
    expect(t.omitted).toBe(1);
  });

  test('a sum past the size limit is gathered in one line', () => {
    const t = tidySum([T.mul([T.transpose(A), x]), T.mul([A, x])], context, line, { ...TIDY_POLICY, maxNodes: 2 });
    expect(t).toEqual({ lines: [], omitted: 0 });
  });
});

describe('every rule id a golden derivation shows is listed by `matcalc rules`', () => {
  const book = loadRulebook();
  if (!book.ok) throw new Error(book.diagnostics[0]!.message);
  const listed = new Set<string>(listRules(book.value).flatMap((g) => g.rules.map((r) => r.id)));
  // Derivation labels that are not identities: the first line, a plain sum, the cut, the summaries.
  const labels = new Set(['start', 'gather', 'elided', 'total', 'grad']);
  const examples = [...listExamples(GOLDEN_DIRS), ...listExamples(DERIVATIVE_DIRS)];

  test('the examples show tidying steps', () => {
    const shown = examples.flatMap((e) => idsOf(e));
    expect(shown.some((id) => id.startsWith('simp.'))).toBe(true);
  });

  // Every id: the pullback and tidying rules are listed as they are; the forward sweep's labels
  // (fwd.exp for pull.exp, and its code rules product, linear, …) are listed in its own section.
  test.each(examples.map((e) => [e.name, e] as const))('%s', (_name, e) => {
    for (const id of idsOf(e).filter((id) => !labels.has(id))) {
      if (listed.has(id)) continue;
      expect(isForwardRule(id, book.value), id).toBe(true);
    }
  });

  function idsOf(e: (typeof examples)[number]): string[] {
    const request =
      e.command === undefined
        ? { expression: e.expression, wrt: e.wrt, ...(e.dims ? { dims: e.dims } : {}), ...(e.assume ? { assume: e.assume } : {}), check: false, steps: true }
        : { ...derivativeRequest(e), check: false };
    const r = run(request);
    if (!r.ok) throw new Error(`${e.name}: ${r.diagnostics[0]!.message}`);
    return (r.value.steps ?? []).flatMap((s) => s.rule.split(' '));
  }
});
