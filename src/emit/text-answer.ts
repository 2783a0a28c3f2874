import type { Command, Report } from '../report.js';
import { answerLabels } from './answer-labels.js';
import { isReverseDerivation } from './blocks.js';
import { atTextLines } from './at-values.js';
import { derivativeTextViews, shapesText } from './derivative.js';
import { functionAsRead } from './report.js';
import { integerOps } from './function-ops.js';
import { integerParameters } from '../term/integer-parameters.js';

/**
 * The terminal answer of every command, as data: the function as read, the derivation, one line per
 * result (with its caption), the shared definitions, the shapes and what the check checked. The CLI
 * paints it (src/cli/print-text.ts); which parts are dim, bold or red is its business, not this one's.
 */
export interface TextAnswer {
  /** `f = …` or `F = …`: the label, then the function as matcalc read it. */
  readonly function: { readonly label: string; readonly text: string };
  /** The derivation, one line each (when recorded); `rule` (when shown) names the rule applied. */
  readonly steps?: readonly { readonly text: string; readonly rule?: string }[];
  readonly lines: readonly { readonly label: string; readonly text: string; readonly caption?: string }[];
  readonly where: readonly { readonly name: string; readonly text: string }[];
  readonly shapes: string;
  /** The noun of the result, for the check's message: gradient, differential, Jacobian, Hessian. */
  readonly what: string;
  /** Values at the point (--at), one line each: `at x=-2:  f = …,  ∇_x f = …`, then any matrices. */
  readonly at?: readonly string[];
}

/**
 * The where-block under the result lines, as one block: `where` once, the other definitions lined
 * up under the first (`  where H = tanh(Wx)` / `        T₁ = …`), as a textbook writes them.
 */
export function whereBlock(where: readonly { readonly name: string; readonly text: string }[]): string[] {
  return where.map((w, i) => `${i === 0 ? '  where ' : '        '}${w.name} = ${w.text}`);
}

/** What each command's result is called. */
export const RESULT_NOUN: Readonly<Record<Command, string>> = { grad: 'gradient', diff: 'differential', jac: 'Jacobian', hess: 'Hessian' };

/** Derivation rules not named on their line: the first line of a gradient's, and the summary lines. */
const UNNAMED_RULES = new Set(['start', 'total', 'grad']);

export function textAnswer(report: Report): TextAnswer {
  const labels = answerLabels(report);
  const rule = (r: string) => (UNNAMED_RULES.has(r) ? {} : { rule: r });
  // A gradient's derivation is one chain of equalities: df = … = … ; a forward derivation's lines say what they are.
  const chain = report.steps !== undefined && isReverseDerivation(report.steps);
  const stepText = (text: string, i: number) => (chain ? `${i === 0 ? `d${labels.f} = ` : '   = '}${text}` : text);
  // Results print together: a definition several of them share is printed once.
  const views = derivativeTextViews(report, labels);
  return {
    function: { label: `${labels.f} = `, text: functionAsRead(report.f, report.names, 'text') },
    ...(report.steps ? { steps: report.steps.map((s, i) => ({ text: stepText(s.text, i), ...rule(s.rule) })) } : {}),
    lines: views.lines.map((l) => ({ label: l.label, text: l.text, ...(l.caption ? { caption: l.caption } : {}) })),
    where: views.where,
    // Every command: a --wrt variable that does not occur is listed with the shape given it, and says so.
    shapes: shapesText(report.variables, integerParameters(integerOps(report.f)), new Set([...report.variables.keys()].filter((n) => !report.typed.variables.has(n)))),
    what: RESULT_NOUN[report.command],
    ...(report.at ? { at: atTextLines(report.at, labels.f) } : {}),
  };
}
