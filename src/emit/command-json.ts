import type { Report } from '../report.js';
import { derivativeJson } from './derivative.js';
import { reportJson } from './report.js';

/** The object of `<command> --format json` (and of a batch line), for any command's report. */
export function commandJson(report: Report): Record<string, unknown> {
  return report.command === 'grad' ? reportJson(report) : derivativeJson(report);
}
