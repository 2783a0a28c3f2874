import { describe, expect, test } from 'vitest';
import { syntaxSize as printedSize } from '../helpers/syntax-size.js';
import { describeMeasured, measureProblem, type Measured } from './measure.js';
import { TEXTBOOK_PROBLEMS } from './problems.js';

/**
 * The printed answer against the textbook's (test/textbook/problems.ts): every derivative passes
 * the numeric check and is a matrix where the reference prints one, and at least 90% of the answers
 * are within 1.25× the size of the textbook's: syntax nodes of the ASCII form, shared definitions
 * once, the textbook's answer printed by the same printer (test/helpers/syntax-size.ts; the
 * smaller table of test/golden/textbook-forms.test.ts counts printed symbols instead). The
 * failure message lists the worst ratios (MATCALC_SIZE_REPORT=1 prints them on success too).
 */
const BOUND = 1.25;
const SHARE = 0.9;

const measured: Measured[] = TEXTBOOK_PROBLEMS.map(measureProblem);

test('the table is broad: at least 60 problems, with Hessians and Jacobians among them', () => {
  expect(TEXTBOOK_PROBLEMS.length).toBeGreaterThanOrEqual(60);
  expect(TEXTBOOK_PROBLEMS.filter((p) => p.command === 'hess').length).toBeGreaterThanOrEqual(8);
  expect(TEXTBOOK_PROBLEMS.filter((p) => p.command === 'jac').length).toBeGreaterThanOrEqual(6);
});

describe.each(measured.map((m) => [`${m.problem.command} ${m.problem.expr} --wrt ${m.problem.wrt}`, m] as const))('%s', (_title, m) => {
  test(`passes the numeric check and prints a matrix (${m.problem.ref})`, () => {
    // answered: read, the numeric check passed and a matrix was printed (measure.ts); else the reason.
    expect(m.outcome, m.reason).toBe('answered');
  });
});

test(`at least ${SHARE * 100}% of the answers are within ${BOUND}× the textbook's size`, () => {
  const within = measured.filter((m) => m.ratio <= BOUND).length;
  const worst = [...measured]
    .sort((a, b) => b.ratio - a.ratio)
    .slice(0, 12)
    .map(describeMeasured);
  const share = within / measured.length;
  if (process.env.MATCALC_SIZE_REPORT) console.log(`printed size: ${within}/${measured.length} = ${(100 * share).toFixed(1)}% within ${BOUND}× the textbook's\n${worst.join('\n')}`);
  expect(share, `${within}/${measured.length} within ${BOUND}×; the worst:\n${worst.join('\n')}`).toBeGreaterThanOrEqual(SHARE);
  // The measure itself: equal texts are ratio 1, and a where-definition counts once.
  expect(printedSize("A'*x")).toBe(printedSize("A'*x"));
  expect(printedSize('T1 = A*x + b; T1 .* T1')).toBeLessThan(printedSize('(A*x + b) .* (A*x + b)'));
});
