import type { Report } from '../report.js';
import { formatJson } from './command-json.js';
import { formatHtml, formatLatex } from './document.js';
import { FORMAT_NAMES, type FormatOptions } from './format-names.js';
import { formatDot } from './graph/dot.js';
import { formatJax } from './jax.js';
import { formatNumpy, formatTorch } from './python-module.js';
import { formatTorchAutograd } from './torch-autograd.js';

/**
 * The machine-readable and document formats of `matcalc grad|diff|jac|hess --format …`, one entry
 * each, for every command's report, so a new format is one module plus one line here (the terminal
 * text format is the CLI's own, with colour: emit/text-answer.ts, cli/print-text.ts). Each returns
 * the complete output, ending with a newline.
 */
export type { FormatOptions };

/** A format of any command's report. */
export type Formatter = (report: Report, options: FormatOptions) => string;

export const FORMATS: Readonly<Record<string, Formatter>> = {
  json: formatJson,
  // Gradients alone give f_and_grad; blocks in a direction a function each (python-module.ts).
  numpy: formatNumpy,
  torch: formatTorch,
  // A torch.autograd.Function / a jax.custom_vjp whose backward is matcalc's vector-Jacobian product (vjp-plan.ts).
  'torch-autograd': formatTorchAutograd,
  jax: formatJax,
  latex: formatLatex,
  html: formatHtml,
  // f's computational graph as Graphviz source (`dot -Tsvg`); adjoints on the edges with --steps, numbers with --at.
  dot: formatDot,
};

export { FORMAT_NAMES };

if (FORMAT_NAMES.join() !== ['text', ...Object.keys(FORMATS)].join()) {
  throw new Error(`format-names.ts (${FORMAT_NAMES.join(', ')}) disagrees with FORMATS (${Object.keys(FORMATS).join(', ')})`);
}
