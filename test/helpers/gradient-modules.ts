import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatNumpy, formatTorch } from '../../src/emit/python-module.js';
import type { Report } from '../../src/report.js';
import { runPythonModules, type ModuleRun } from './python-batch.js';
import { hasPython } from './python-probe.js';
import { scratchFolders } from './scratch.js';

const hasTorch = hasPython('torch');

/**
 * The timeout of a test that reads a table's module runs: the first one runs the whole batch (every
 * module of the table in one python3, torch imported once), which takes seconds alone but has taken
 * over a minute with another test file and other work sharing two cores.
 */
export const MODULE_BATCH_TIMEOUT_MS = 240_000;

/** The grad module formats a table runs, with whether this machine can run each (torch may be absent). */
export const GRADIENT_MODULES = [
  ['numpy', formatNumpy, true],
  ['torch', formatTorch, hasTorch],
] as const;

export type GradientModuleFormat = (typeof GRADIENT_MODULES)[number][0];

/**
 * The emitted module of every report, per format, each format's modules run once in one python3
 * (python-batch.ts) when first asked for: a table's tests read run i of its problem i. The modules
 * are written to a temporary folder, made when first asked for and removed after the file's tests;
 * call this where vitest collects hooks (a file's top level or a describe's body).
 */
export function gradientModuleRuns(name: string, reports: readonly Report[]): (format: GradientModuleFormat) => ModuleRun[] {
  const scratch = scratchFolders(name);
  const runs = new Map<string, ModuleRun[]>();
  return (format) => {
    let found = runs.get(format);
    if (found === undefined) {
      const dir = scratch();
      const [, emit] = GRADIENT_MODULES.find(([f]) => f === format)!;
      const paths = reports.map((report, i) => {
        const path = join(dir, `${format}_${i}.py`);
        writeFileSync(path, emit(report));
        return path;
      });
      found = runPythonModules(paths);
      runs.set(format, found);
    }
    return found;
  };
}
