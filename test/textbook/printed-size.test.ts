import { describe, expect, test } from 'vitest';
import { derivativeViews } from '../../src/emit/derivative.js';
import { gradientViews } from '../../src/emit/derivative.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { DerivativeReport, GradientReport } from '../../src/report.js';
import { asPrinted, syntaxSize as printedSize } from '../helpers/syntax-size.js';
import { TEXTBOOK_PROBLEMS, type TextbookProblem } from './problems.js';

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

interface Measured {
  readonly problem: TextbookProblem;
  readonly report: GradientReport | DerivativeReport;
  readonly printed: string;
  /** The textbook's answer as matcalc's printer writes it. */
  readonly textbook: string;
  readonly ratio: number;
}

/** The answer in ASCII (which reads back); undefined when no matrix was printed. */
function answerOf(report: GradientReport | DerivativeReport): string | undefined {
  if (report.command === 'grad') return gradientViews(report)[0]!.ascii;
  const label = report.command === 'hess' ? /^∇²/ : /^∂/;
  return derivativeViews(report).lines.find((l) => label.test(l.label))?.ascii;
}

const measured: Measured[] = TEXTBOOK_PROBLEMS.map((problem) => {
  const request = { expression: problem.expr, wrt: problem.wrt, seed: 1, ...(problem.assume ? { assume: problem.assume } : {}), ...(problem.dims ? { dims: problem.dims } : {}) };
  const result = problem.command === 'grad' ? gradient(request) : derivative({ ...request, command: problem.command });
  if (!result.ok) throw new Error(`${problem.expr}: ${result.diagnostics[0]!.message}`);
  const printed = answerOf(result.value) ?? '';
  const scalars = [...result.value.variables].filter(([, shape]) => shape[0] === 1 && shape[1] === 1).map(([name]) => name);
  const textbook = asPrinted(problem.textbook, scalars);
  const ratio = printed === '' ? Infinity : printedSize(printed) / printedSize(textbook);
  return { problem, report: result.value, printed, textbook, ratio };
});

test('the table is broad: at least 60 problems, with Hessians and Jacobians among them', () => {
  expect(TEXTBOOK_PROBLEMS.length).toBeGreaterThanOrEqual(60);
  expect(TEXTBOOK_PROBLEMS.filter((p) => p.command === 'hess').length).toBeGreaterThanOrEqual(8);
  expect(TEXTBOOK_PROBLEMS.filter((p) => p.command === 'jac').length).toBeGreaterThanOrEqual(6);
});

describe.each(measured.map((m) => [`${m.problem.command} ${m.problem.expr} --wrt ${m.problem.wrt}`, m] as const))('%s', (_title, m) => {
  test(`passes the numeric check and prints a matrix (${m.problem.ref})`, () => {
    expect(m.report.check?.status, m.report.check?.reason).toBe('passed');
    expect(m.printed, 'no matrix printed').not.toBe('');
  });
});

test(`at least ${SHARE * 100}% of the answers are within ${BOUND}× the textbook's size`, () => {
  const within = measured.filter((m) => m.ratio <= BOUND).length;
  const worst = [...measured]
    .sort((a, b) => b.ratio - a.ratio)
    .slice(0, 12)
    .map((m) => `${m.ratio.toFixed(2)}×  ${m.problem.command} ${m.problem.expr} --wrt ${m.problem.wrt}\n      printed  ${m.printed}\n      textbook ${m.textbook}`);
  const share = within / measured.length;
  if (process.env.MATCALC_SIZE_REPORT) console.log(`printed size: ${within}/${measured.length} = ${(100 * share).toFixed(1)}% within ${BOUND}× the textbook's\n${worst.join('\n')}`);
  expect(share, `${within}/${measured.length} within ${BOUND}×; the worst:\n${worst.join('\n')}`).toBeGreaterThanOrEqual(SHARE);
  // The measure itself: equal texts are ratio 1, and a where-definition counts once.
  expect(printedSize("A'*x")).toBe(printedSize("A'*x"));
  expect(printedSize('T1 = A*x + b; T1 .* T1')).toBeLessThan(printedSize('(A*x + b) .* (A*x + b)'));
});
