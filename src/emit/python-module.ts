import type { Report } from '../report.js';
import { derivativeBlocks } from './blocks.js';
import { derivativeModule } from './derivative-module.js';
import type { FormatOptions } from './format-names.js';
import { gradientModule } from './gradient-module.js';
import { NUMPY, TORCH } from './python-flavour.js';

/**
 * `--format numpy` / `--format torch` of every command: a self-contained Python module in one layout
 * (python-layout.ts). For grad, `f_and_grad_<wrt>(<inputs>) -> (value, grad)` (gradient-module.ts);
 * for diff|jac|hess a function per block (derivative-module.ts). Run as a script, either compares its
 * results with central differences at inputs matcalc's own evaluator accepted.
 */

/** A Formatter (formats.ts): the options change nothing in a module. */
export function formatNumpy(report: Report, _options?: FormatOptions): string {
  return derivativeBlocks(report).length === 0 ? gradientModule(report, NUMPY) : derivativeModule(report, NUMPY);
}

export function formatTorch(report: Report, _options?: FormatOptions): string {
  return derivativeBlocks(report).length === 0 ? gradientModule(report, TORCH) : derivativeModule(report, TORCH);
}
