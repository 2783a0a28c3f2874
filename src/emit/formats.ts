import type { GradientReport } from '../report.js';
import { jsonText } from './escape.js';
import { formatHtml } from './html.js';
import { formatLatex } from './latex-document.js';
import { formatNumpy, formatTorch } from './python-module.js';
import { reportJson } from './report.js';
import { FORMAT_NAMES } from './format-names.js';

/**
 * The machine-readable and document formats of `matcalc grad --format …`, one entry each, so a new
 * format is one module plus one line here (the terminal text format is the CLI's own, with colour).
 * Each returns the complete output, ending with a newline.
 */
export interface FormatOptions {
  /** Include the derivation. */
  readonly steps: boolean;
  /** A complete document (LaTeX: a compilable .tex file). */
  readonly standalone: boolean;
}

export type Formatter = (report: GradientReport, options: FormatOptions) => string;

export const FORMATS: Readonly<Record<string, Formatter>> = {
  json: (report) => `${jsonText(reportJson(report), 2)}\n`,
  numpy: formatNumpy,
  torch: formatTorch,
  latex: formatLatex,
  html: formatHtml,
};

export { FORMAT_NAMES };

if (FORMAT_NAMES.join() !== ['text', ...Object.keys(FORMATS)].join()) {
  throw new Error(`format-names.ts (${FORMAT_NAMES.join(', ')}) disagrees with FORMATS (${Object.keys(FORMATS).join(', ')})`);
}
