import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { python3 } from './python.js';

/**
 * Whether python3 can import each of `modules` (`hasPython('torch', 'mpmath')`). Asked by many test
 * files, and `import torch` alone costs ~2 s of CPU, so each module is probed once per `vitest run`:
 * test/setup/python-probe.ts makes a folder for the run (PYTHON_PROBE_DIR_ENV) where the first file to
 * ask writes the answer and every other file reads it. Outside such a run (another runner), a file
 * probes for itself, once per module.
 */
export function hasPython(...modules: string[]): boolean {
  return modules.every(canImport);
}

export const PYTHON_PROBE_DIR_ENV = 'MATCALC_TEST_PYTHON_PROBES';

const known = new Map<string, boolean>();

function canImport(module: string): boolean {
  if (!/^[A-Za-z_][\w.]*$/.test(module)) throw new Error(`not a module name: ${module}`);
  let answer = known.get(module);
  if (answer !== undefined) return answer;
  const dir = process.env[PYTHON_PROBE_DIR_ENV];
  const file = dir === undefined ? undefined : join(dir, `${module}.json`);
  if (file !== undefined && existsSync(file)) answer = JSON.parse(readFileSync(file, 'utf8')) as boolean;
  else {
    answer = python3(['-c', `import ${module}`], { encoding: 'utf8' }).status === 0;
    // Written whole, then renamed: a file probing at the same moment reads an answer or none.
    if (file !== undefined) {
      writeFileSync(`${file}.${process.pid}`, JSON.stringify(answer));
      renameSync(`${file}.${process.pid}`, file);
    }
  }
  known.set(module, answer);
  return answer;
}
