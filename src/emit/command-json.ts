import type { Report } from '../report.js';
import { atJson } from './at-values.js';
import { derivativeJson } from './derivative.js';
import { reportJson } from './report.js';

/** The object of `<command> --format json` (and of a batch line), for any command's report. */
export function commandJson(report: Report): Record<string, unknown> {
  const json = report.command === 'grad' ? reportJson(report) : derivativeJson(report);
  // Values at a point only when asked (--at): without one, the output is as it was.
  return report.at ? { ...json, at: atJson(report.at) } : json;
}
