import { derivativeViews, gradientViews } from '../../src/emit/derivative.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { asPrinted, syntaxSize } from '../helpers/syntax-size.js';
import type { TextbookProblem } from './problems.js';

/**
 * One textbook problem run through matcalc and measured against the reference's answer: refused
 * (no report), wrong (the numeric check did not pass, or no matrix was printed), or the ratio of the
 * printed answer's size to the textbook's (syntax nodes, shared definitions once:
 * test/helpers/syntax-size.ts).
 */
export interface Measured {
  readonly problem: TextbookProblem;
  readonly outcome: 'refused' | 'wrong' | 'answered';
  /** The refusal's message, or the check's reason when wrong. */
  readonly reason?: string;
  readonly printed: string;
  /** The textbook's answer as matcalc's printer writes it. */
  readonly textbook: string;
  readonly ratio: number;
}

/** The answer in ASCII (which reads back); undefined when no matrix was printed. */
function answerOf(report: Report): string | undefined {
  if (report.command === 'grad') return gradientViews(report)[0]!.ascii;
  const label = report.command === 'hess' ? /^∇²/ : /^∂/;
  return derivativeViews(report).lines.find((l) => label.test(l.label))?.ascii;
}

export function measureProblem(problem: TextbookProblem): Measured {
  const request = { expression: problem.expr, wrt: problem.wrt, seed: 1, ...(problem.assume ? { assume: problem.assume } : {}), ...(problem.dims ? { dims: problem.dims } : {}) };
  let result;
  try {
    result = problem.command === 'grad' ? gradient(request) : derivative({ ...request, command: problem.command });
  } catch (error) {
    return { problem, outcome: 'refused', reason: `threw: ${(error as Error).message}`, printed: '', textbook: problem.textbook, ratio: Infinity };
  }
  if (!result.ok) return { problem, outcome: 'refused', reason: result.diagnostics[0]!.message, printed: '', textbook: problem.textbook, ratio: Infinity };
  const printed = answerOf(result.value) ?? '';
  const scalars = [...result.value.variables].filter(([, shape]) => shape[0] === 1 && shape[1] === 1).map(([name]) => name);
  const textbook = asPrinted(problem.textbook, scalars);
  const check = result.value.check;
  const wrong = check?.status !== 'passed' || printed === '';
  const ratio = printed === '' ? Infinity : syntaxSize(printed) / syntaxSize(textbook);
  return { problem, outcome: wrong ? 'wrong' : 'answered', ...(wrong ? { reason: printed === '' ? 'no matrix printed' : `check ${check?.status}: ${check?.reason ?? ''}` } : {}), printed, textbook, ratio };
}

/** A line per problem for a failure message or MATCALC_SIZE_REPORT. */
export function describeMeasured(m: Measured): string {
  const head = `${m.outcome === 'answered' ? `${m.ratio.toFixed(2)}×` : m.outcome.toUpperCase()}  ${m.problem.command} ${m.problem.expr} --wrt ${m.problem.wrt}${m.problem.assume ? ` --assume ${m.problem.assume}` : ''}`;
  return `${head}${m.reason ? `\n      reason   ${m.reason}` : ''}\n      printed  ${m.printed}\n      textbook ${m.textbook}`;
}
