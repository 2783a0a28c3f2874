import type { GradientReport, Report } from '../report.js';
import { DERIVATIVE_FORMATS } from './derivative-formats.js';
import { jsonText } from './escape.js';
import { formatHtml } from './html.js';
import { formatLatex } from './latex-document.js';
import { formatNumpy, formatTorch } from './python-module.js';
import { reportJson } from './report.js';
import { FORMAT_NAMES } from './format-names.js';

/**
 * The machine-readable and document formats of `matcalc grad|diff|jac|hess --format …`, one entry
 * each, so a new format is one module plus one line here (the terminal text format is the CLI's own, with colour).
 * Each returns the complete output, ending with a newline.
 */
export interface FormatOptions {
  /** Include the derivation. */
  readonly steps: boolean;
  /** A complete document (LaTeX: a compilable .tex file). */
  readonly standalone: boolean;
}

/** A format of a gradient report. */
type GradientFormatter = (report: GradientReport, options: FormatOptions) => string;

const GRADIENT_FORMATS: Readonly<Record<string, GradientFormatter>> = {
  json: (report) => `${jsonText(reportJson(report), 2)}\n`,
  numpy: formatNumpy,
  torch: formatTorch,
  latex: formatLatex,
  html: formatHtml,
};

/** A format of any command's report. */
export type Formatter = (report: Report, options: FormatOptions) => string;

/**
 * Every command's formats, by name: one table for grad, diff, jac and hess, so a format exists for
 * all of them or for none (checked below, when this module loads).
 */
export const FORMATS: Readonly<Record<string, Formatter>> = Object.fromEntries(
  Object.keys(GRADIENT_FORMATS).map((name): [string, Formatter] => [
    name,
    (report, options) => (report.command === 'grad' ? GRADIENT_FORMATS[name]! : DERIVATIVE_FORMATS[name]!)(report as never, options),
  ]),
);

export { FORMAT_NAMES };

for (const table of [GRADIENT_FORMATS, DERIVATIVE_FORMATS]) {
  if (FORMAT_NAMES.join() !== ['text', ...Object.keys(FORMATS)].join() || Object.keys(table).sort().join() !== Object.keys(FORMATS).sort().join()) {
    throw new Error(`format-names.ts (${FORMAT_NAMES.join(', ')}) disagrees with the formatters (${Object.keys(table).join(', ')})`);
  }
}
